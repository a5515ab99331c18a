import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** Page title on the left, actions on the right; actions wrap under the title on narrow screens. */
export function PageHeader({ title, subtitle, extra }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode }) {
  return (
    <Flex className="page-header" justify="space-between" align="center" wrap gap={8}>
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subtitle ? <Typography.Text type="secondary">{subtitle}</Typography.Text> : null}
      </div>
      {extra ? (
        <Flex gap={8} wrap className="page-actions">
          {extra}
        </Flex>
      ) : null}
    </Flex>
  );
}
