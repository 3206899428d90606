import type { BkndServer } from '../serverTypes';

/** Registers the intake routes (call from `options.manager.onServerInit`, before hardening). To be written. */
export function installIntakeRoutes(_server: BkndServer, _options: { serviceSecret?: string }): void {}
