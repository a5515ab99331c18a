import { Alert, Button } from 'antd';
import { errorText } from '../api/client';
import { vi } from '../i18n/vi';

export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert
      type="error"
      showIcon
      title={vi.errors.loadFailed}
      description={errorText(error)}
      action={onRetry ? <Button size="small" onClick={onRetry}>{vi.common.reload}</Button> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
