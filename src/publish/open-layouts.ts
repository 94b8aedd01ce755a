import { openOciLayout, type OciLayout } from '../layout/oci-layout.js';

/** The OCI layouts a run reads, each opened once and all closed when the run is over. */
export class OpenLayouts {
  readonly #layouts = new Map<string, Promise<OciLayout>>();

  open(path: string): Promise<OciLayout> {
    let layout = this.#layouts.get(path);
    if (layout === undefined) {
      layout = openOciLayout(path);
      this.#layouts.set(path, layout);
    }
    return layout;
  }

  async close(): Promise<void> {
    const settled = await Promise.allSettled(this.#layouts.values());
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  }
}
