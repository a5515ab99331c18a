// DM_TRANG_THAI_HOC_SINH: 01 đang học, 02/06 chuyển đến, 03/07 nghỉ xin học lại, others have left.
export const statusColor = (code: string) =>
  code === '01' ? 'green' : code === '02' || code === '06' ? 'cyan' : code === '03' || code === '07' ? 'orange' : 'red';
