import { define } from '../shared/define.js';
import { SbItemViewer } from './sb-item-viewer.js';

define('sb-item-viewer', SbItemViewer);
export { SbItemViewer };
