import type { BkndServer } from '../serverTypes';

/** Registers the users routes (call from `options.manager.onServerInit`, before hardening). To be written. */
export function installUserRoutes(_server: BkndServer, _options: { serviceSecret?: string }): void {}
