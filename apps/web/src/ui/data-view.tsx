import {
  MessageBar,
  MessageBarBody,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { errorMessage } from './api-client.js';
import { LoadingSpinner } from './loading-spinner';

const useStyles = makeStyles({
  tableWrap: { overflowX: 'auto' },
});

export interface Loaded<T> {
  /** null until the first load has come back. */
  data: T | null;
  /** The last load's failure, shown in place of the data. */
  error: string | null;
  reload: () => void;
}

/**
 * Loads data for a view, with a `reload` for after changes; errors go to the view and to `onError`
 * (which ends the session on a 401). `load` must be stable (a module function or `useCallback`),
 * else it loads on every render.
 */
export function useLoad<T>(load: () => Promise<T>, onError: (error: unknown) => void): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let cancelled = false;
    void generation;
    load().then(
      (value) => {
        if (cancelled) return;
        setData(value);
        setError(null);
      },
      (cause: unknown) => {
        if (cancelled) return;
        setError(errorMessage(cause));
        onError(cause);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, onError, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, reload };
}

/** A failure message in a view (loading, an action). */
export function ErrorBar({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    // Multi-line: a server's message can be long (a refused address, a field's problem) and must be read whole.
    <MessageBar intent="error" layout="multiline" data-testid={testId}>
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}

/** The failure, a spinner while loading, else the loaded data as `children` draws it. */
export function LoadState<T>({
  loaded: { data, error },
  loadFailed,
  children,
}: {
  loaded: Pick<Loaded<T>, 'data' | 'error'>;
  /** The surface's "loading failed: …" text for the failure's message. */
  loadFailed: (message: string) => string;
  children: (data: T) => ReactNode;
}) {
  if (error) return <ErrorBar>{loadFailed(error)}</ErrorBar>;
  if (data === null) return <LoadingSpinner size="small" />;
  return <>{children(data)}</>;
}

export interface Column<T> {
  id: string;
  /** The header cell's content; none for a column of row actions. */
  header?: ReactNode;
  cell: (row: T) => ReactNode;
  className?: string;
}

/**
 * A table of rows named by its section's heading (`labelId`), or the `empty` text when there are
 * no rows. `scroll` for wide tables: they scroll sideways in their section instead of widening the page.
 */
export function DataTable<T>({
  rows,
  rowKey,
  columns,
  labelId,
  empty,
  size,
  className,
  scroll = false,
  testId,
  rowTestId,
}: {
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly Column<T>[];
  labelId: string;
  empty?: string;
  size?: 'small' | 'medium';
  className?: string;
  scroll?: boolean;
  testId?: string;
  rowTestId?: string;
}) {
  const styles = useStyles();
  if (rows.length === 0 && empty !== undefined) return <Text>{empty}</Text>;
  const table = (
    <Table aria-labelledby={labelId} size={size} data-testid={testId} className={className}>
      <TableHeader>
        <TableRow>
          {columns.map((column) => (
            <TableHeaderCell key={column.id}>{column.header}</TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={rowKey(row)} data-testid={rowTestId}>
            {columns.map((column) => (
              <TableCell key={column.id} className={column.className}>
                {column.cell(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
  return scroll ? <div className={styles.tableWrap}>{table}</div> : table;
}
