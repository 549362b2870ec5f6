// The softphone as the rest of the renderer uses it: <CallButton> beside each phone contact
// point, <SoftphoneBar/> in the top bar, and the useSoftphone store (lastEnded → outcome form).
import './i18n';

export { CallButton } from './CallButton';
export { SoftphoneBar } from './SoftphoneBar';
export { IncomingCall } from './IncomingCall';
export { PbxBanner } from './PbxBanner';
export { SipSettings } from './SipSettings';
export { useSoftphone, type LastEndedCall } from './store';
export { SoftphoneEngine, type SoftphoneSnapshot, type CallInfo } from './engine';
