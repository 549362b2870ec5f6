// PLACEHOLDER — the softphone owner (issue 4) replaces this module. The account screen renders
// <CallButton> next to each phone contact point and the top bar renders <SoftphoneBar/>.
export { CallButton, SoftphoneBar } from './placeholder';
