/**
 * `slotbridge/dataloop`: the protocol adapter for Dataloop's panels
 * (`@dataloop-ai/jssdk`, xFrame), for `createHost({ bridges: { dataloop: dataloopBridge({ api }) } })`.
 */
export { dataloopBridge, type DataloopBridgeOptions } from './dataloop-bridge.js';
