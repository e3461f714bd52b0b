/** The console's frame: the login until signed in, then the navigation and the page the hash names. */
import { useState } from 'react';
import { CloseBanner } from './pages/overview/close-banner';
import { ClosePage } from './pages/close/close-page';
import { ExceptionDetailPage } from './pages/exceptions/exception-detail-page';
import { ExceptionsPage } from './pages/exceptions/exceptions-page';
import { OverviewPage } from './pages/overview/overview-page';
import { MappingsPage } from './pages/mappings/mappings-page';
import { AuditPage } from './pages/audit/audit-page';
import { SuppliersPage } from './pages/suppliers/suppliers-page';
import { MasterDataPage } from './pages/master-data/master-data-page';
import { TracePage } from './pages/trace/trace-page';
import { href, useRoute, type Route } from './router';
import { Loading } from './components/states';
import { LoginPage } from './session/login-page';
import { useSession } from './session/session-context';

const PAGES = [
  { path: '', label: 'Overview', action: 'kpis:read' },
  { path: 'exceptions', label: 'Exceptions', action: 'exceptions:read' },
  { path: 'trace', label: 'Trace', action: 'trace:read' },
  { path: 'suppliers', label: 'Suppliers to review', action: 'exceptions:read' },
  { path: 'close', label: 'Close', action: 'master-data:read' },
  { path: 'master-data', label: 'Master data', action: 'master-data:read' },
  { path: 'mappings', label: 'Mappings', action: 'mappings:read' },
  { path: 'audit', label: 'Audit', action: 'audit:read' },
] as const;

function Page({ route }: { route: Route }) {
  const [first, second] = route.segments;
  if (first === 'exceptions' && second !== undefined) return <ExceptionDetailPage id={second} />;
  if (first === 'exceptions') return <ExceptionsPage params={route.params} />;
  if (first === 'trace') return <TracePage params={route.params} />;
  if (first === 'close') return <ClosePage params={route.params} />;
  if (first === 'suppliers') return <SuppliersPage />;
  if (first === 'master-data') return <MasterDataPage />;
  if (first === 'mappings') return <MappingsPage />;
  if (first === 'audit') return <AuditPage params={route.params} />;
  return <OverviewPage />;
}

export function App() {
  const { session, checking, logout } = useSession();
  const route = useRoute();
  const [loggingOut, setLoggingOut] = useState(false);
  if (checking) return <Loading what="the session" />;
  if (session === undefined) return <LoginPage />;
  const current = route.segments[0] ?? '';
  return (
    <div className="shell">
      <header className="top">
        <a className="brand" href={href('')}>
          Ledgerlink
        </a>
        <nav aria-label="Pages">
          {PAGES.filter((p) => session.actions.includes(p.action)).map((p) => (
            <a key={p.path} href={href(p.path)} aria-current={current === p.path ? 'page' : undefined}>
              {p.label}
            </a>
          ))}
          <a href="/docs" target="_blank" rel="noreferrer">
            API reference
          </a>
        </nav>
        <div className="who">
          <span data-testid="signed-in-as" title={session.roles.join(', ')}>
            {session.name} ({session.roles.join(', ')})
          </span>
          <button
            type="button"
            disabled={loggingOut}
            onClick={() => {
              setLoggingOut(true);
              void logout().finally(() => setLoggingOut(false));
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <CloseBanner />
      <main className="page">
        <Page route={route} />
      </main>
    </div>
  );
}
