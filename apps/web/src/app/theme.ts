import { createTheme } from '@mui/material/styles';

// Colours chosen for WCAG AA contrast (4.5:1 or more) of text on them and of them on white.
export const theme = createTheme({
  palette: {
    primary: { main: '#0b5d7a', contrastText: '#ffffff' },
    secondary: { main: '#6b3fa0', contrastText: '#ffffff' },
    error: { main: '#b3261e' },
    warning: { main: '#8a5300' },
    success: { main: '#1e6b34' },
    text: { secondary: '#4a5560' },
    background: { default: '#f5f7f9' },
  },
  shape: { borderRadius: 6 },
  typography: {
    h4: { fontSize: '1.75rem', fontWeight: 600 },
    h5: { fontSize: '1.35rem', fontWeight: 600 },
    h6: { fontSize: '1.1rem', fontWeight: 600 },
  },
  components: {
    MuiButtonBase: { defaultProps: { disableRipple: false } },
    MuiButton: { styleOverrides: { root: { textTransform: 'none' } } },
    // MUI's grey for an unselected toggle is below 4.5:1 on the page background.
    MuiTab: { styleOverrides: { root: { textTransform: 'none', fontSize: '0.95rem' } } },
    MuiToggleButton: { styleOverrides: { root: { textTransform: 'none', color: '#4a5560' } } },
    // A dialog's form submits only itself. React passes a portal's events up the component tree, so the submit of
    // a dialog opened from inside another form went on to that form: signing a radiology report also saved the
    // draft, with the same version, and whichever came second was refused as a conflict.
    MuiDialog: { defaultProps: { onSubmit: (e) => e.stopPropagation() } },
    MuiTextField: { defaultProps: { size: 'small' } },
    MuiFormControl: { defaultProps: { size: 'small' } },
    MuiCssBaseline: {
      styleOverrides: {
        // A focus ring everyone can see, whatever the component draws itself.
        ':focus-visible': { outline: '3px solid #e37400', outlineOffset: '2px' },
        '.skip-link': {
          position: 'absolute',
          left: 8,
          top: -48,
          zIndex: 2000,
          padding: '8px 16px',
          background: '#ffffff',
          color: '#0b5d7a',
          fontWeight: 600,
          borderRadius: 4,
        },
        '.skip-link:focus': { top: 8 },
        // Whoever asks the system for less motion gets none: no fades, slides or colour transitions.
        '@media (prefers-reduced-motion: reduce)': {
          '*, *::before, *::after': {
            animationDuration: '0s !important',
            animationIterationCount: '1 !important',
            transitionDuration: '0s !important',
            transitionDelay: '0s !important',
            scrollBehavior: 'auto !important',
          },
        },
      },
    },
  },
});
