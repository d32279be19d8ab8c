/** Whatever overlay is open (help, confirmation, details), in the space the panes would take. */
import { useUi } from '../ConsoleContext.js';
import { DetailView } from '../details/DetailView.js';
import { ConfirmOverlay } from './ConfirmOverlay.js';
import { HelpOverlay } from './HelpOverlay.js';

export function OverlayView({ width, height }: { width: number; height: number }) {
  const overlay = useUi((s) => s.overlay);
  switch (overlay.kind) {
    case 'help':
      return <HelpOverlay width={width} height={height} />;
    case 'confirm':
      return <ConfirmOverlay width={width} height={height} />;
    case 'detail':
      return <DetailView request={overlay.request} width={width} height={height} />;
    case 'none':
      return null;
  }
}
