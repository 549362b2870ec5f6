import { useEffect, useRef } from 'react';
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
import { NavBar } from './components/NavBar';
import { SECTIONS, renderView } from './screens/registry';
import { followDataChanges } from './stores/data';
import { HelpOverlay } from './components/HelpOverlay';
import { isTypingTarget, useKeydown } from './lib/keyboard';
import { IncomingCall, PbxBanner, useSoftphone } from './softphone';

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
  const section = useNav((s) => s.section);
  const other = SECTIONS.find((s) => s.section === section);
  const working = section === 'work';

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

  // An administrator's wipe order reached this workstation: its store is gone; the login says why.
  // Only a wipe this session lived through counts: the state the main side kept after an earlier
  // erasure still names device_wipe when the next user signs in, and must not sign them out.
  const syncState = useSync((s) => (s.state === null ? null : s.state.lastError === 'device_wipe' ? 'wiped' : 'ok'));
  const armed = useRef(false);
  useEffect(() => {
    if (syncState === 'ok') armed.current = true;
    else if (syncState === 'wiped' && armed.current) {
      armed.current = false;
      useSync.setState({ state: null });
      useSession.getState().wiped();
    }
  }, [syncState]);

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
      <NavBar />
      <ApprovalsBar />
      <SyncBanners />
      <PbxBanner />
      <UpdateBanner />
      <IncomingCall />
      <main className="app-main">
        <QueueScreen active={working && view.name === 'queue' && !helpOpen} hidden={!working || view.name !== 'queue'} />
        {working && renderView(view, !helpOpen)}
        {other && (
          <div className="section-screen" key={other.section}>
            <other.Screen />
          </div>
        )}
      </main>
      {helpOpen && <HelpOverlay />}
    </div>
  );
}
