import { define } from '../shared/define.js';
import { SbAppDashboard } from './sb-app-dashboard.js';

define('sb-app-dashboard', SbAppDashboard);
export { SbAppDashboard };
