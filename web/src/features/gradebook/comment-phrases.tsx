import { CloseOutlined, MessageOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Popover } from 'antd';
import { useCallback, useState } from 'react';
import { vi } from '../../i18n/vi';

const t = vi.gradebook;
const MAX_PHRASES = 40;
const storageKey = (userId: string) => `truongso.gradebook.phrases.${userId}`;

function load(userId: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(storageKey(userId)) ?? 'null') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** A teacher's own reusable nhận xét phrases, kept in this browser (localStorage), newest first. */
export function usePhrases(userId: string) {
  const [own, setOwn] = useState<string[]>(() => load(userId));
  const save = useCallback(
    (next: string[]) => {
      setOwn(next);
      try {
        localStorage.setItem(storageKey(userId), JSON.stringify(next));
      } catch {
        /* storage full or denied: the phrase stays for this visit */
      }
    },
    [userId],
  );
  const add = useCallback((p: string) => save([p.trim(), ...own.filter((x) => x !== p.trim())].slice(0, MAX_PHRASES)), [own, save]);
  const remove = useCallback((p: string) => save(own.filter((x) => x !== p)), [own, save]);
  return { own, add, remove };
}

/**
 * "Câu nhận xét mẫu": the teacher's own phrases and a few common ones; picking one adds it to the
 * comment cell being edited. The cell's current text can be kept as a new phrase.
 */
export function PhrasePicker({ userId, current, onPick, disabled }: { userId: string; current: string; onPick: (phrase: string) => void; disabled?: boolean }) {
  const { own, add, remove } = usePhrases(userId);
  const [open, setOpen] = useState(false);
  const defaults = t.defaultPhrases.filter((p) => !own.includes(p));
  const text = current.trim();
  const content = (
    <div className="gb-phrases" data-testid="gradebook-phrases">
      <div className="gb-phrases-hint">{t.phrasesHint}</div>
      <ul>
        {own.map((p) => (
          <li key={`own-${p}`}>
            <button
              type="button"
              className="gb-phrase"
              onClick={() => {
                setOpen(false);
                onPick(p);
              }}
            >
              {p}
            </button>
            <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t.phraseRemove(p)} onClick={() => remove(p)} />
          </li>
        ))}
        {defaults.map((p) => (
          <li key={`def-${p}`}>
            <button
              type="button"
              className="gb-phrase"
              onClick={() => {
                setOpen(false);
                onPick(p);
              }}
            >
              {p}
            </button>
          </li>
        ))}
      </ul>
      {text && !own.includes(text) ? (
        <Button size="small" icon={<PlusOutlined />} onClick={() => add(text)}>
          {t.phraseSave}
        </Button>
      ) : null}
    </div>
  );
  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomLeft">
      <Button size="small" icon={<MessageOutlined />} disabled={disabled} data-testid="gradebook-phrases-button">
        {t.phrases}
      </Button>
    </Popover>
  );
}
