import { createContext, useContext } from 'react';
import { ANSI16_THEME, type Role, type Theme } from './semantic.js';

export const ThemeContext = createContext<Theme>(ANSI16_THEME);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** The colour for a role, or undefined (no colour) when colour is off or the role has none. */
export function roleColor(theme: Theme, role: Role | undefined): string | undefined {
  return theme.color && role ? theme.colors[role] : undefined;
}
