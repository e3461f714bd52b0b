/** A banner across every page while a period-close window is on (from GET /v1/kpis). */
import { usePolled } from '../../api/use-polled';
import type { Kpis } from '../../api/types';
import { useCan } from '../../session/session-context';

export function CloseBanner() {
  const allowed = useCan('kpis:read');
  const { data } = usePolled<Kpis>(allowed ? '/v1/kpis' : undefined, 30_000);
  const window = data?.closeWindow;
  if (window?.active !== true) return null;
  return (
    <div className="banner" role="status" data-testid="close-banner">
      Period close in progress ({String(window['from'])} to {String(window['to'])}): exception SLAs are tightened
      {typeof window['slaFactor'] === 'number' ? ` (×${window['slaFactor']})` : ''}.
    </div>
  );
}
