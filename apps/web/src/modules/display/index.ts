// The public token display of the web app: a page outside the signed-in shell.

export { DisplayBoardPage } from './pages/display-board-page';
