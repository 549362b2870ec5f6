import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './stores/session';
import { useSync } from './stores/sync';
import { useNav } from './stores/nav';
import { useQueue } from './stores/queue';
import { useAccount } from './stores/account';
import { LoginScreen } from './screens/LoginScreen';
import { QueueScreen } from './screens/QueueScreen';
import { TopBar } from './components/TopBar';
import { ApprovalsBar } from './approvals/ApprovalsBar';
import { SyncBanners } from './components/SyncBanners';
import { UpdateBanner } from './components/UpdateBanner';
import { AdminBar } from './admin/AdminBar';
import { ADMIN_SCREENS, renderView } from './screens/registry';
import { followDataChanges } from './stores/data';
import { HelpOverlay } from './components/HelpOverlay';
import { isTypingTarget, useKeydown } from './lib/keyboard';
import { IncomingCall, useSoftphone } from './softphone';

export function App() {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  useEffect(() => {
    void useSession.getState().init();
  }, []);
  if (status === 'loading')
    return (
      <div className="splash" role="status">
        {t('app.loading')}
      </div>
    );
  if (status === 'anonymous') return <LoginScreen />;
  return <Workstation />;
}

function Workstation() {
  const view = useNav((s) => s.view);
  const helpOpen = useNav((s) => s.helpOpen);
  const adminTab = useNav((s) => s.admin);
  const admin = ADMIN_SCREENS.find((s) => s.tab === adminTab);

  useEffect(() => {
    const stopSync = useSync.getState().start();
    const stopData = followDataChanges();
    void useQueue.getState().reload();
    return () => {
      stopSync();
      stopData();
      // Another agent may log in next on this computer: nothing of this one's list may linger.
      useQueue.setState({ rows: [], total: 0, selected: 0 });
      useAccount.getState().close();
      useNav.getState().reset();
    };
  }, []);

  // An inbound call matched to a debtor opens their account once the agent answers it.
  const answeredInbound = useSoftphone((s) =>
    s.call && s.call.direction === 'inbound' && s.call.phase !== 'incoming' && s.call.caller ? s.call.caller.accountId : null,
  );
  useEffect(() => {
    if (answeredInbound) useNav.getState().openAccount(answeredInbound);
  }, [answeredInbound]);

  useKeydown((e) => {
    if (e.key === 'Escape' && helpOpen) {
      e.preventDefault();
      useNav.getState().toggleHelp(false);
      return;
    }
    if (e.key === '?' && !isTypingTarget(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      useNav.getState().toggleHelp();
    }
  });

  return (
    <div className="app">
      <TopBar />
      <ApprovalsBar />
      <AdminBar />
      <SyncBanners />
      <UpdateBanner />
      <IncomingCall />
      <main className="app-main">
        {admin && <admin.Screen key={admin.tab} />}
        <QueueScreen active={view.name === 'queue' && !helpOpen} hidden={view.name !== 'queue'} />
        {renderView(view, !helpOpen)}
      </main>
      {helpOpen && <HelpOverlay />}
    </div>
  );
}
