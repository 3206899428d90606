import { en } from './en';
import { fr } from './fr';
import { registerCatalogue } from './index';

// The server answers in both languages: it holds both catalogues from its first import (hooks.server.ts).
registerCatalogue('fr', fr);
registerCatalogue('en', en);
