import { define } from '../shared/define.js';
import { SbToolbar } from './sb-toolbar.js';

define('sb-toolbar', SbToolbar);
export { SbToolbar };
