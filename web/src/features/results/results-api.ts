import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ClassResults } from '../../api/types';
import type { Period } from './results-logic';

export const resultsPath = (schoolId: string, classId: string) => `/schools/${schoolId}/classes/${classId}/results`;
export const resultsKey = (schoolId: string, classId: string | null, period?: Period) =>
  period ? ['class-results', schoolId, classId, period] : ['class-results', schoolId, classId];

/** A class's results of a period as last closed, with the training ratings as they are now. */
export const useClassResults = (schoolId: string, classId: string | null, period: Period) =>
  useQuery({
    queryKey: resultsKey(schoolId, classId, period),
    queryFn: ({ signal }) => api.get<ClassResults>(resultsPath(schoolId, classId ?? ''), { period }, signal),
    enabled: !!classId,
  });

/** Where each screen of a class is, from any of them (same year and class). */
export const classLinks = (year: number, classId: string) => ({
  gradebook: `/so-diem?nam=${year}&lop=${classId}`,
  results: `/ket-qua?nam=${year}&lop=${classId}`,
  attendance: `/diem-danh?nam=${year}&lop=${classId}`,
});
