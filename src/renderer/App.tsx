import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { getApi } from './api';
import { useSession } from './stores/session';
import { useSync } from './stores/sync';
import { useNav } from './stores/nav';
import { useQueue } from './stores/queue';
import { useAccount } from './stores/account';
import { LoginScreen } from './screens/LoginScreen';
import { QueueScreen } from './screens/QueueScreen';
import { AccountScreen } from './screens/AccountScreen';
import { TopBar } from './components/TopBar';
import { ApprovalsBar } from './approvals/ApprovalsBar';
import { ApprovalsScreen } from './approvals/ApprovalsScreen';
import { useApprovalsView } from './approvals/store';
import { SyncBanners } from './components/SyncBanners';
import { UpdateBanner } from './components/UpdateBanner';
import { AdminBar } from './admin/AdminBar';
import { ComplianceAdminScreen } from './admin/ComplianceAdminScreen';
import { UsersAdminScreen } from './admin/UsersAdminScreen';
import { useAdminView } from './admin/store';
import { TemplatesAdminScreen } from './admin/TemplatesAdminScreen';
import { ViolationsScreen } from './admin/ViolationsScreen';
import { ActivityScreen } from './admin/ActivityScreen';
import { HelpOverlay } from './components/HelpOverlay';
import { isTypingTarget, useKeydown } from './lib/keyboard';
import { IncomingCall, useSoftphone } from './softphone';

export function App() {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  useEffect(() => {
    void useSession.getState().init();
  }, []);
  if (status === 'loading') return <div className="splash" role="status">{t('app.loading')}</div>;
  if (status === 'anonymous') return <LoginScreen />;
  return <Workstation />;
}

function Workstation() {
  const view = useNav((s) => s.view);
  const helpOpen = useNav((s) => s.helpOpen);
  const approvalsOpen = useApprovalsView((s) => s.open);
  const adminOpen = useAdminView((s) => s.open);
  const adminTab = useAdminView((s) => s.tab);

  useEffect(() => {
    const stopSync = useSync.getState().start();
    const stopData = getApi().onDataChanged((event) => {
      void useQueue.getState().refresh();
      const open = useAccount.getState().accountId;
      if (open && (event.accountIds === null || event.accountIds.includes(open))) void useAccount.getState().refresh();
    });
    void useQueue.getState().reload();
    return () => {
      stopSync();
      stopData();
      // Another agent may log in next on this computer: nothing of this one's list may linger.
      useQueue.setState({ rows: [], total: 0, selected: 0 });
      useAccount.getState().close();
      useNav.getState().backToQueue();
      useAdminView.getState().setOpen(false);
    };
  }, []);

  // An inbound call matched to a debtor opens their account once the agent answers it.
  const answeredInbound = useSoftphone((s) =>
    s.call && s.call.direction === 'inbound' && s.call.phase !== 'incoming' && s.call.caller ? s.call.caller.accountId : null);
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
        {adminOpen && adminTab !== 'templates' && (adminTab === 'rules' ? <ComplianceAdminScreen /> : adminTab === 'activity' ? <ActivityScreen /> : adminTab === 'users' ? <UsersAdminScreen /> : <ViolationsScreen />)}
        {adminOpen && adminTab === 'templates' && <TemplatesAdminScreen />}
        {approvalsOpen && <ApprovalsScreen />}
        <QueueScreen active={view.name === 'queue' && !helpOpen && !approvalsOpen} hidden={view.name !== 'queue' || approvalsOpen} />
        {view.name === 'account' && !approvalsOpen && <AccountScreen key={view.accountId} accountId={view.accountId} active={!helpOpen} />}
      </main>
      {helpOpen && <HelpOverlay />}
    </div>
  );
}
