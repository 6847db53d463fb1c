import { define } from '../shared/define.js';
import { SbRoute } from './sb-route.js';

define('sb-route', SbRoute);
export { SbRoute };
