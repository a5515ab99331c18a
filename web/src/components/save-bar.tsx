import { Button } from 'antd';
import type { ReactNode } from 'react';

/**
 * The save button under a list a teacher fills in (ratings, attendance, marks, measurements): kept
 * in view at the bottom of a long class list, on the right; `extra` goes before it (an undo).
 * The label says how many changes it sends.
 */
export function SaveBar({ label, pending, onSave, testId, disabled, extra }: { label: string; pending: boolean; onSave: () => void; testId?: string; disabled?: boolean; extra?: ReactNode }) {
  return (
    <div className="save-bar">
      {extra}
      <Button type="primary" loading={pending} disabled={disabled} onClick={onSave} data-testid={testId}>
        {label}
      </Button>
    </div>
  );
}
