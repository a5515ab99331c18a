import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { api, errorText } from '../../api/client';
import type { ClassResults, Ok, PublishResults } from '../../api/types';
import { vi } from '../../i18n/vi';
import { resultsKey } from './results-api';

const t = vi.results;

/** Whether families see this period's results, and the homeroom teacher's (or principal's) switch. */
export function PublicationBar({ schoolId, data }: { schoolId: string; data: ClassResults }) {
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const label = t.periodOf[data.period];
  const key = resultsKey(schoolId, data.classId, data.period);
  const publish = useMutation({
    mutationFn: (published: boolean) =>
      api.put<Ok, PublishResults>(`/schools/${schoolId}/classes/${data.classId}/results/publication`, { year: data.year, period: data.period, published }),
    onSuccess: (_, published) => {
      qc.setQueryData<ClassResults>(key, (d) => (d ? { ...d, published } : d));
      void qc.invalidateQueries({ queryKey: key });
      message.success(published ? t.publishDone(label) : t.unpublishDone(label));
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  if (!data.computedAt) return null;
  const ask = (published: boolean) => {
    modal.confirm({
      title: published ? `${t.publish}?` : `${t.unpublish}?`,
      content: published ? t.publishConfirm(label) : t.unpublishConfirm(label),
      okText: published ? t.publish : t.unpublish,
      cancelText: vi.common.cancel,
      onOk: () => publish.mutateAsync(published),
    });
  };
  return (
    <div className="rs-publication" data-testid="results-publication">
      <span className={`pill ${data.published ? 'pill-green' : 'pill-orange'}`} data-testid="results-published">
        {data.published ? t.published(label) : t.notPublished(label)}
      </span>
      {data.canPublish ? (
        <Button size="small" loading={publish.isPending} onClick={() => ask(!data.published)} data-testid="results-publish">
          {data.published ? t.unpublish : t.publish}
        </Button>
      ) : null}
    </div>
  );
}
