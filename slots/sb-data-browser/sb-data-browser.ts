import { SbItemViewer } from '../sb-item-viewer/sb-item-viewer.js';

/**
 * @tag sb-data-browser
 * @summary The dataset browser: the platform's own view (the children) or an
 * installed app's `datasetBrowser` panel, chosen under "Open with".
 * @slot - The platform's default view of the dataset.
 * @csspart frames - The area the view or panel fills.
 */
export class SbDataBrowser extends SbItemViewer {
  protected override readonly slotType: string = 'datasetBrowser';
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-data-browser': SbDataBrowser;
  }
}
