import { define } from '../shared/define.js';
import { SbDialogs } from './sb-dialogs.js';

define('sb-dialogs', SbDialogs);
export { SbDialogs };
