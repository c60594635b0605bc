// The public bed board of a ward (/display/beds/:displayCode): a page outside the signed-in shell.

export { BedDisplayPage } from './pages/bed-display-page';
