import { define } from '../shared/define.js';
import { SbInspector } from './sb-inspector.js';

define('sb-inspector', SbInspector);
export { SbInspector };
