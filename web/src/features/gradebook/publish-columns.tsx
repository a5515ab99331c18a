import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Modal } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { Gradebook, Ok, PublishColumns as PublishBody } from '../../api/types';
import { vi } from '../../i18n/vi';
import { columnNames, type PublishColumn, publishPlan } from './publish-plan';

const t = vi.gradebook.publish;

/**
 * "Công bố cột CK, Nhận xét cho gia đình" and "Thôi công bố": each opens a dialog naming the
 * columns, with how many students still have no mark in each, where the teacher keeps or leaves
 * out each column before confirming. A withdrawal is audited by the server as gradebook.unpublish.
 */
export function PublishColumns({
  grid,
  path,
  term,
  valueOf,
  beforePublish,
}: {
  grid: Gradebook;
  path: string;
  term: number;
  /** A cell as the teacher sees it now (unsent values included). */
  valueOf: (studentId: string, column: string) => string | null;
  /** Sends what is waiting, so families see the marks the teacher sees. */
  beforePublish: () => Promise<void>;
}) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'publish' | 'withdraw' | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  if (!grid.actions.publish) return null;
  const plan = publishPlan(grid, valueOf);
  const offered = mode === 'withdraw' ? plan.published : plan.toPublish;
  const picked = offered.filter((c) => chosen.includes(c.key));

  const open = (m: 'publish' | 'withdraw') => {
    setChosen((m === 'withdraw' ? plan.published : plan.toPublish).map((c) => c.key));
    setMode(m);
  };
  const confirm = async () => {
    if (!mode || picked.length === 0) return;
    setBusy(true);
    try {
      if (mode === 'publish') await beforePublish();
      await api.put<Ok, PublishBody>(`${path}/publication`, { term, columns: picked.map((c) => c.key), published: mode === 'publish' });
      message.success(mode === 'publish' ? t.done(columnNames(picked)) : t.withdrawn(columnNames(picked)));
      setMode(null);
      await queryClient.invalidateQueries({ queryKey: ['gradebook', path, term] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {plan.toPublish.length > 0 ? (
        <Button size="small" className="gb-publish-button" onClick={() => open('publish')} data-testid="gradebook-publish">
          {t.button(columnNames(plan.toPublish))}
        </Button>
      ) : null}
      {plan.published.length > 0 ? (
        <Button size="small" onClick={() => open('withdraw')} data-testid="gradebook-unpublish">
          {t.withdraw}
        </Button>
      ) : null}
      <Modal
        open={mode !== null}
        title={mode === 'withdraw' ? t.withdrawTitle(columnNames(picked.length ? picked : offered)) : t.title(columnNames(picked.length ? picked : offered))}
        okText={mode === 'withdraw' ? t.withdraw : t.ok}
        okButtonProps={{ danger: mode === 'withdraw', disabled: picked.length === 0 }}
        cancelText={vi.common.cancel}
        confirmLoading={busy}
        onCancel={() => setMode(null)}
        onOk={() => void confirm()}
        destroyOnHidden
      >
        <div data-testid="gradebook-publish-dialog">
          <p>{mode === 'withdraw' ? t.withdrawText : t.text}</p>
          <Checkbox.Group className="gb-publish-list" value={chosen} onChange={(v) => setChosen(v)}>
            {offered.map((c) => (
              <Checkbox key={c.key} value={c.key}>
                <ColumnLine col={c} />
              </Checkbox>
            ))}
          </Checkbox.Group>
          {mode === 'publish' && picked.some((c) => c.missing > 0) ? <p className="gb-publish-warn">{t.missingWarning}</p> : null}
        </div>
      </Modal>
    </>
  );
}

function ColumnLine({ col }: { col: PublishColumn }) {
  return (
    <span data-testid={`gradebook-publish-${col.key}`}>
      <strong>{col.label}</strong> — {col.missing > 0 ? <span className="gb-publish-missing">{t.missing(col.missing)}</span> : t.complete}
    </span>
  );
}
