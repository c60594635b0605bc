import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { type ReactNode, useId } from 'react';

type Props = {
  title: ReactNode;
  /** Buttons beside the heading. */
  actions?: ReactNode;
  children: ReactNode;
  level?: 'h2' | 'h3';
  testId?: string;
};

/** A titled part of a screen (laboratory, radiology): a landmark named by its heading. */
export function Section({ title, actions, children, level = 'h2', testId }: Props) {
  const id = useId();
  return (
    <Paper
      component="section"
      aria-labelledby={id}
      variant="outlined"
      sx={{ p: 2, minWidth: 0 }}
      data-testid={testId}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1.5, flexWrap: 'wrap' }}>
        <Typography
          id={id}
          component={level}
          variant={level === 'h2' ? 'h6' : 'subtitle1'}
          sx={{ flexGrow: 1, fontWeight: 600 }}
        >
          {title}
        </Typography>
        {actions}
      </Box>
      {children}
    </Paper>
  );
}
