import { Alert, Button } from 'antd';
import { errorText } from '../api/client';
import { vi } from '../i18n/vi';

/** `onRetry` is a query's refetch(): a failure shows in the query's error state, its promise never rejects. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => Promise<unknown> }) {
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
