import { Alert, Button } from 'antd';
import { ApiError, errorText } from '../api/client';
import { NoPermission, NotFound } from '../features/layout/status-pages';
import { vi } from '../i18n/vi';

/**
 * A failed read. Only a failure that may pass gets the retry card (a server error, no network):
 * 404 is a link to something that is not there or not the caller's (the server answers 404 for
 * both, decision 0003) and shows "Không tìm thấy" with the way back (`backTo`, else home); 403 is
 * the no-permission page. Retrying either would only fail again.
 * `onRetry` is a query's refetch(): a failure shows in the query's error state, its promise never rejects.
 */
export function QueryError({ error, onRetry, backTo, notFound }: { error: unknown; onRetry?: () => Promise<unknown>; backTo?: string; notFound?: string }) {
  if (error instanceof ApiError && error.status === 404) return <NotFound message={notFound} backTo={backTo} />;
  if (error instanceof ApiError && error.status === 403) return <NoPermission reason={errorText(error)} />;
  return (
    <Alert
      type="error"
      showIcon
      title={vi.errors.loadFailed}
      description={errorText(error)}
      action={onRetry ? <Button size="small" onClick={() => void onRetry()}>{vi.common.reload}</Button> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
