import type { BkndServer } from '../serverTypes';

/** Registers the convert routes (call from `options.manager.onServerInit`, before hardening). To be written. */
export function installConvertRoute(_server: BkndServer, _options: { serviceSecret?: string }): void {}
