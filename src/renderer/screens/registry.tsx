import type { ComponentType, ReactNode } from 'react';
import type { Role } from '../../shared/domain/enums';
import type { Section, View } from '../stores/nav';
import { AccountScreen } from './AccountScreen';
import { ApprovalsScreen } from '../approvals/ApprovalsScreen';
import { ComplianceAdminScreen } from '../admin/ComplianceAdminScreen';
import { ActivityScreen } from '../admin/ActivityScreen';
import { UsersAdminScreen } from '../admin/UsersAdminScreen';
import { TemplatesAdminScreen } from '../admin/TemplatesAdminScreen';
import { StrategiesAdminScreen } from '../admin/StrategiesAdminScreen';
import { ViolationsScreen } from '../admin/ViolationsScreen';
import { WipesAdminScreen } from '../admin/WipesAdminScreen';
import { SegmentsAdminScreen } from '../admin/SegmentsAdminScreen';
import { LiveScreen } from '../live/LiveScreen';
import { ProvidersAdminScreen } from '../admin/ProvidersAdminScreen';
import { CashScreen } from '../field/CashScreen';
import { HandoverScreen } from '../field/HandoverScreen';
import { RiskModelsScreen } from '../admin/RiskModelsScreen';

/**
 * Every work screen, by the view that shows it: the one place a screen is registered (a new view in
 * stores/nav.ts does not typecheck until it has its entry here; see docs/extending.md).
 * The queue is not here: it stays mounted under every view so its scroll and selection survive
 * opening an account (App.tsx hides it).
 */
export const SCREENS: { [N in View['name']]: (view: Extract<View, { name: N }>, active: boolean) => ReactNode } = {
  queue: () => null,
  account: (view, active) => <AccountScreen key={view.accountId} accountId={view.accountId} active={active} />,
};

export function renderView(view: View, active: boolean): ReactNode {
  return (SCREENS[view.name] as (v: View, a: boolean) => ReactNode)(view, active);
}

/**
 * The sections besides the work area, in the navigation bar's order, with who may open each and
 * its tab (label key and test id). One is shown at a time, in place of the work area.
 */
export const SECTIONS: ReadonlyArray<{
  section: Exclude<Section, 'work'>;
  Screen: ComponentType;
  label: string;
  testId: string;
  roles: readonly Role[];
}> = [
  { section: 'live', Screen: LiveScreen, label: 'live.title', testId: 'open-live', roles: ['admin', 'team_lead'] },
  { section: 'approvals', Screen: ApprovalsScreen, label: 'approvals.title', testId: 'open-approvals', roles: ['admin', 'team_lead'] },
  { section: 'handover', Screen: HandoverScreen, label: 'field.handoverTitle', testId: 'open-handover', roles: ['agent', 'team_lead'] },
  { section: 'cash', Screen: CashScreen, label: 'field.cashTitle', testId: 'open-cash', roles: ['admin', 'team_lead'] },
  { section: 'activity', Screen: ActivityScreen, label: 'activity.title', testId: 'open-activity', roles: ['admin', 'team_lead'] },
  { section: 'violations', Screen: ViolationsScreen, label: 'admin.violations', testId: 'open-violations', roles: ['admin', 'team_lead'] },
  { section: 'rules', Screen: ComplianceAdminScreen, label: 'admin.compliance', testId: 'open-compliance-admin', roles: ['admin'] },
  { section: 'users', Screen: UsersAdminScreen, label: 'admin.users', testId: 'open-users-admin', roles: ['admin'] },
  { section: 'templates', Screen: TemplatesAdminScreen, label: 'admin.templates', testId: 'open-templates-admin', roles: ['admin'] },
  { section: 'strategies', Screen: StrategiesAdminScreen, label: 'strategies.title', testId: 'open-strategies-admin', roles: ['admin'] },
  { section: 'segments', Screen: SegmentsAdminScreen, label: 'segments.title', testId: 'open-segments-admin', roles: ['admin'] },
  { section: 'providers', Screen: ProvidersAdminScreen, label: 'providers.title', testId: 'open-providers-admin', roles: ['admin'] },
  { section: 'wipes', Screen: WipesAdminScreen, label: 'wipes.title', testId: 'open-wipes-admin', roles: ['admin'] },
  { section: 'risk', Screen: RiskModelsScreen, label: 'riskScore.card.nav', testId: 'open-risk-models', roles: ['admin'] },
];
