/**
 * `slotbridge/slots`: importing it defines every `sb-*` element.
 */
export { SbHost } from './sb-host/index.js';
export { SbMarketplace } from './sb-marketplace/index.js';
export { SbItemViewer } from './sb-item-viewer/index.js';
export { SbSidePanel } from './sb-side-panel/index.js';
export { SbDataBrowser } from './sb-data-browser/index.js';
export { SbRoute } from './sb-route/index.js';
export { SbFloatingWindows } from './sb-floating-windows/index.js';
export { SbDialogs } from './sb-dialogs/index.js';
export { SbToolbar } from './sb-toolbar/index.js';
export { SbInspector } from './sb-inspector/index.js';
export { SbAppSettings } from './sb-app-settings/index.js';
export { SbAppDashboard } from './sb-app-dashboard/index.js';
