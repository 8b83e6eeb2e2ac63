import { createContext } from 'react';

/**
 * Whether the Sync & backup panel is on screen. The library keeps the panel mounted while its list is
 * shown, so that folder sync runs; hidden, the panel does not keep its export choices (every tag, the
 * starred count) up to date, which would be read again after every change made in the list. A module of
 * its own: the library's first chunk needs it, and the panel's code loads after the rows.
 */
export const PanelShown = createContext(true);
