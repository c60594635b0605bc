import AccountBalanceWallet from '@mui/icons-material/AccountBalanceWallet';
import AccountCircle from '@mui/icons-material/AccountCircle';
import AdminPanelSettings from '@mui/icons-material/AdminPanelSettings';
import Apartment from '@mui/icons-material/Apartment';
import Assessment from '@mui/icons-material/Assessment';
import Assignment from '@mui/icons-material/Assignment';
import Biotech from '@mui/icons-material/Biotech';
import Bloodtype from '@mui/icons-material/Bloodtype';
import Business from '@mui/icons-material/Business';
import CalendarMonth from '@mui/icons-material/CalendarMonth';
import CleaningServices from '@mui/icons-material/CleaningServices';
import CompareArrows from '@mui/icons-material/CompareArrows';
import ConfirmationNumber from '@mui/icons-material/ConfirmationNumber';
import DocumentScanner from '@mui/icons-material/DocumentScanner';
import EditNote from '@mui/icons-material/EditNote';
import EventAvailable from '@mui/icons-material/EventAvailable';
import EventNote from '@mui/icons-material/EventNote';
import FactCheck from '@mui/icons-material/FactCheck';
import Group from '@mui/icons-material/Group';
import HealthAndSafety from '@mui/icons-material/HealthAndSafety';
import Home from '@mui/icons-material/Home';
import HourglassBottom from '@mui/icons-material/HourglassBottom';
import ManageSearch from '@mui/icons-material/ManageSearch';
import MeetingRoom from '@mui/icons-material/MeetingRoom';
import MenuIcon from '@mui/icons-material/Menu';
import MonitorHeart from '@mui/icons-material/MonitorHeart';
import MoveToInbox from '@mui/icons-material/MoveToInbox';
import NotificationImportant from '@mui/icons-material/NotificationImportant';
import PersonSearch from '@mui/icons-material/PersonSearch';
import Pin from '@mui/icons-material/Pin';
import PointOfSale from '@mui/icons-material/PointOfSale';
import PostAdd from '@mui/icons-material/PostAdd';
import ReceiptLong from '@mui/icons-material/ReceiptLong';
import ReportProblem from '@mui/icons-material/ReportProblem';
import RequestQuote from '@mui/icons-material/RequestQuote';
import Restaurant from '@mui/icons-material/Restaurant';
import Rule from '@mui/icons-material/Rule';
import Science from '@mui/icons-material/Science';
import Timer from '@mui/icons-material/Timer';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import FormControl from '@mui/material/FormControl';
import IconButton from '@mui/material/IconButton';
import InputLabel from '@mui/material/InputLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import { useTheme } from '@mui/material/styles';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { Outlet, Link as RouterLink, useLocation, useNavigate } from 'react-router';
import { CriticalAlertsIndicator } from '../modules/laboratory';
import { PatientBannerSlot } from '../ui/patient-context';
import { useAuth } from './auth/auth-context';
import { activeNavPath, visibleNavItems } from './navigation';

const DRAWER_WIDTH = 260;

const icons: Record<string, ReactNode> = {
  '/': <Home />,
  '/patients': <PersonSearch />,
  '/patients/duplicates': <CompareArrows />,
  '/opd/appointments': <EventAvailable />,
  '/opd/queue': <ConfirmationNumber />,
  '/opd/worklist': <Assignment />,
  '/opd/setup': <CalendarMonth />,
  '/ipd/station': <MonitorHeart />,
  '/housekeeping': <CleaningServices />,
  '/dietary/kitchen': <Restaurant />,
  '/laboratory/collection': <Bloodtype />,
  '/laboratory/reception': <MoveToInbox />,
  '/laboratory/worklists': <Biotech />,
  '/laboratory/validation': <Rule />,
  '/laboratory/walk-in': <Science />,
  '/laboratory/turnaround': <Timer />,
  '/laboratory/critical-alerts': <NotificationImportant />,
  '/radiology/scheduling': <EventNote />,
  '/radiology/worklist': <DocumentScanner />,
  '/radiology/reporting': <EditNote />,
  '/radiology/walk-in': <PostAdd />,
  '/radiology/rooms': <MeetingRoom />,
  '/billing': <ReceiptLong />,
  '/billing/cashier': <PointOfSale />,
  '/billing/approvals': <FactCheck />,
  '/billing/charge-master': <AccountBalanceWallet />,
  '/billing/reports': <Assessment />,
  '/insurance/preauths': <HealthAndSafety />,
  '/insurance/claims': <RequestQuote />,
  '/insurance/payers': <Business />,
  '/insurance/aging': <HourglassBottom />,
  '/admin/mrn-format': <Pin />,
  '/admin/users': <Group />,
  '/admin/roles': <AdminPanelSettings />,
  '/admin/facilities': <Apartment />,
  '/admin/audit': <ManageSearch />,
  '/admin/break-glass': <ReportProblem />,
};

export function AppShell() {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();

  // A chosen destination closes the drawer on a tablet.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => {
    setDrawerOpen(false);
  }, [location.pathname]);

  const nav = <SideNav />;
  return (
    <Box sx={{ display: 'flex', minHeight: '100vh', bgcolor: 'background.default' }}>
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      <AppBar position="fixed" sx={{ zIndex: (t) => t.zIndex.drawer + 1 }}>
        <Toolbar sx={{ gap: 1 }}>
          {!wide && (
            <IconButton
              color="inherit"
              edge="start"
              aria-label="Open navigation"
              aria-controls="side-navigation"
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
            >
              <MenuIcon />
            </IconButton>
          )}
          <Typography component="p" variant="h6" sx={{ flexGrow: 1, whiteSpace: 'nowrap' }}>
            Newhms
          </Typography>
          <CriticalAlertsIndicator />
          <FacilitySwitcher />
          <UserMenu />
        </Toolbar>
      </AppBar>
      {wide ? (
        <Drawer
          variant="permanent"
          sx={{
            width: DRAWER_WIDTH,
            flexShrink: 0,
            '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box' },
          }}
        >
          <Toolbar />
          {nav}
        </Drawer>
      ) : (
        <Drawer
          variant="temporary"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          ModalProps={{ keepMounted: false }}
          sx={{ '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box' } }}
        >
          {nav}
        </Drawer>
      )}
      <Box sx={{ flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        <Toolbar />
        <PatientBannerSlot />
        <Box component="main" id="main-content" tabIndex={-1} sx={{ p: { xs: 2, sm: 3 }, outline: 'none' }}>
          <Outlet />
        </Box>
      </Box>
    </Box>
  );
}

function SideNav() {
  const { can } = useAuth();
  const { pathname } = useLocation();
  const items = visibleNavItems(can);
  // One entry is current: the one whose path is the longest prefix (Patients vs Duplicate review).
  const active = activeNavPath(items, pathname);
  return (
    <Box component="nav" id="side-navigation" aria-label="Main navigation" data-testid="side-navigation">
      <List>
        {items.map((item) => (
          <ListItem key={item.path} disablePadding>
            <ListItemButton
              component={RouterLink}
              to={item.path}
              className={item.path === active ? 'active' : undefined}
              aria-current={item.path === active ? 'page' : undefined}
              sx={{
                '&.active': {
                  bgcolor: 'action.selected',
                  fontWeight: 600,
                  borderLeft: 4,
                  borderColor: 'primary.main',
                },
              }}
            >
              <ListItemIcon sx={{ minWidth: 40 }} aria-hidden="true">
                {icons[item.path]}
              </ListItemIcon>
              <ListItemText primary={item.label} />
            </ListItemButton>
          </ListItem>
        ))}
      </List>
    </Box>
  );
}

function FacilitySwitcher() {
  const { me, facilityId, chooseFacility } = useAuth();
  const labelId = useId();
  const facilities = me?.facilities ?? [];
  if (facilities.length === 0) return null;
  if (facilities.length === 1) {
    return (
      <Typography component="p" sx={{ display: { xs: 'none', sm: 'block' }, mr: 1 }} aria-label="Facility">
        {facilities[0]?.facilityName}
      </Typography>
    );
  }
  return (
    <FormControl
      size="small"
      sx={{
        minWidth: { xs: 140, sm: 220 },
        '& .MuiInputBase-root': { color: 'inherit', bgcolor: 'rgba(255,255,255,0.12)' },
        '& .MuiInputLabel-root, & .MuiInputLabel-root.Mui-focused': { color: 'inherit' },
        '& .MuiOutlinedInput-notchedOutline': { borderColor: 'rgba(255,255,255,0.7)' },
        '& .MuiSvgIcon-root': { color: 'inherit' },
      }}
    >
      <InputLabel id={labelId}>Facility</InputLabel>
      <Select
        labelId={labelId}
        label="Facility"
        value={facilityId ?? ''}
        onChange={(e) => chooseFacility(e.target.value)}
        data-testid="facility-switcher"
      >
        {facilities.map((f) => (
          <MenuItem key={f.facilityId} value={f.facilityId}>
            {f.facilityName}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

function UserMenu() {
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const menuId = useId();
  const go = (path: string) => {
    setAnchor(null);
    navigate(path);
  };
  return (
    <>
      <Button
        color="inherit"
        startIcon={<AccountCircle />}
        aria-label={`Account: ${me?.displayName ?? ''}`}
        aria-haspopup="menu"
        aria-controls={anchor ? menuId : undefined}
        aria-expanded={anchor ? true : undefined}
        onClick={(e) => setAnchor(e.currentTarget)}
        sx={{ textTransform: 'none', minWidth: 0 }}
      >
        <Box component="span" sx={{ display: { xs: 'none', sm: 'inline' } }}>
          {me?.displayName ?? 'Account'}
        </Box>
        <Box component="span" sx={{ display: { xs: 'inline', sm: 'none' } }}>
          Account
        </Box>
      </Button>
      <Menu id={menuId} anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)}>
        {me && (
          <Box sx={{ px: 2, py: 1 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {me.displayName}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {me.email}
            </Typography>
          </Box>
        )}
        <Divider />
        <MenuItem onClick={() => go('/account/sessions')}>My sessions</MenuItem>
        <MenuItem onClick={() => go('/account/mfa')}>Set up MFA</MenuItem>
        <MenuItem onClick={() => go('/account/password')}>Change password</MenuItem>
        <Divider />
        <MenuItem
          onClick={() => {
            setAnchor(null);
            void signOut().then(() => navigate('/'));
          }}
        >
          Sign out
        </MenuItem>
      </Menu>
    </>
  );
}
