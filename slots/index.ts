/**
 * `slotbridge/slots`: importing it defines every `sb-*` element.
 */
export { SbHost } from './sb-host/index.js';
export { SbMarketplace } from './sb-marketplace/index.js';
