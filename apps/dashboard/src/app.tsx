import { ComparePage } from './pages/compare-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { RunPage } from './pages/run-page.tsx';
import { SweepPage } from './pages/sweep-page.tsx';
import { SweepsPage } from './pages/sweeps-page.tsx';
import { Link, matchPath, useLocation, type Location } from './router.tsx';

function readMaxPoints(location: Location): number | undefined {
  const value = Number(location.query.get('maxPoints'));
  return Number.isInteger(value) && value >= 4 ? value : undefined;
}

function renderPage(location: Location) {
  const { path, query } = location;
  if (matchPath('/', path)) return <OverviewPage />;
  if (matchPath('/sweeps', path)) return <SweepsPage />;
  const sweep = matchPath('/sweeps/:id', path);
  if (sweep) return <SweepPage key={sweep.id} sweepId={sweep.id!} />;
  const run = matchPath('/runs/:id', path);
  if (run) return <RunPage key={run.id} runId={run.id!} maxPoints={readMaxPoints(location)} />;
  if (matchPath('/compare', path)) {
    const runIds = (query.get('runs') ?? '').split(',').filter(Boolean);
    return <ComparePage runIds={runIds} />;
  }
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>
        No page at <code>{path}</code>. <Link to="/">Back to the overview</Link>.
      </p>
    </div>
  );
}

/** The dashboard: a header with the pages, and the page the URL names. */
export function App() {
  const location = useLocation();
  const section = location.path.split('/')[1] ?? '';
  const navClass = (name: string) => (section === name ? 'active' : undefined);
  return (
    <>
      <header className="top">
        <span className="brand">Hourglass</span>
        <nav>
          <Link to="/" className={navClass('')}>
            Overview
          </Link>
          <Link to="/sweeps" className={navClass('sweeps')}>
            Sweeps
          </Link>
          <Link to="/compare" className={navClass('compare')}>
            Compare
          </Link>
        </nav>
      </header>
      <main>{renderPage(location)}</main>
    </>
  );
}
