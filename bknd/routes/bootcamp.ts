import type { BkndServer } from '../serverTypes';

/** Registers the bootcamp routes (call from `options.manager.onServerInit`, before hardening). To be written. */
export function installBootcampRoutes(_server: BkndServer, _options: { serviceSecret?: string }): void {}
