import type { GlobalThemeOverrides } from 'naive-ui'

/** Naive UI in the app's colours (styles/base.css holds the same values as CSS variables). */
export const themeOverrides: GlobalThemeOverrides = {
  common: {
    primaryColor: '#1f5fa8',
    primaryColorHover: '#2a6fbd',
    primaryColorPressed: '#184c86',
    primaryColorSuppl: '#2a6fbd',
    borderRadius: '6px',
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    fontFamilyMono: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
    fontSize: '14px',
    textColorBase: '#1d2430',
  },
}
