import { define } from '../shared/define.js';
import { SbAppDashboard } from './sb-app-dashboard.js';
import { SbDashboardChart } from './dashboard-chart.js';
import { SbDashboardLog } from './dashboard-log.js';
import { SbDashboardHtml } from './dashboard-html.js';

// The dashboard's parts first: the dashboard renders them.
define('sb-dashboard-chart', SbDashboardChart);
define('sb-dashboard-log', SbDashboardLog);
define('sb-dashboard-html', SbDashboardHtml);
define('sb-app-dashboard', SbAppDashboard);
export { SbAppDashboard };
