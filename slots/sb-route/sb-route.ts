import { css, nothing } from 'lit';
import { PanelSlot, DEFAULT_VIEW, type Contribution } from '../shared/panel-slot.js';
import { themeStyles } from '../shared/theme.js';
import { panelSlotStyles } from '../shared/panel-slot.styles.js';
import type { Host } from '../../src/for-slots.js';
import { routePathOf } from './route-path.js';

/**
 * @tag sb-route
 * @summary A full-page app route (Dataloop's `route` slot): shows the
 * installed app panel whose route path is `path`, filling the element (give
 * it a height), or the children when no installed app serves it.
 * @slot - What the page shows when no app serves the path (a "not found" view).
 * @csspart frames - The area the panel fills.
 * @cssproperty --sb-color-accent - Focus rings.
 */
export class SbRoute extends PanelSlot {
  static override properties = { ...PanelSlot.properties, path: { reflect: true } };
  static override styles = [
    themeStyles,
    panelSlotStyles,
    // A route is a page: its panel fills the element, whatever height it asks for.
    css`
      .frames,
      .frame,
      .mount {
        height: 100%;
      }
      .mount iframe {
        height: 100% !important;
      }
    `,
  ];
  protected readonly slotType: string = 'route';
  /** The route path the platform navigated to (a panel's `configuration.route.path`; its name when it has none). */
  declare path: string;

  constructor() {
    super();
    this.path = '';
  }

  /** The route panels of the installed apps that serve `path`. */
  override get contributions(): Contribution[] {
    const host = this.hosts.host;
    return super.contributions.filter((c) => host !== undefined && routePath(host, c) === this.path);
  }

  /** A route has no chooser: the platform's navigation picks the panel. */
  protected override fallbackSelection(contributions: Contribution[]): string {
    return contributions[0]?.id ?? DEFAULT_VIEW;
  }

  protected renderChooser(): typeof nothing {
    return nothing;
  }
}

function routePath(host: Host, contribution: Contribution): string | undefined {
  const panel = host.registry.installedApp(contribution.app)?.manifest.components.panels.find((p) => p.name === contribution.panel);
  return panel && routePathOf(panel);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-route': SbRoute;
  }
}
