import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { ClassItem, CodeListItem, OrgTree, SchoolSubject, SchoolYear, Staff, StaffDirectoryEntry, SubjectRef, User } from './types';

export const useOrgTree = (asOf?: string, enabled = true) =>
  useQuery({
    queryKey: ['org-tree', asOf ?? 'today'],
    queryFn: ({ signal }) => api.get<OrgTree>('/org-units/tree', { asOf }, signal),
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });

export const useCodeList = (name: 'DM_DAN_TOC' | 'DM_TRANG_THAI_HOC_SINH' | 'DM_TRINH_DO_CHUYEN_MON' | 'DM_HINH_THUC_HOP_DONG') =>
  useQuery({
    queryKey: ['code-list', name],
    queryFn: ({ signal }) => api.get<CodeListItem[]>(`/reference/code-lists/${name}`, undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const useSchoolYears = (schoolId: string | null) =>
  useQuery({
    queryKey: ['school-years', schoolId],
    queryFn: ({ signal }) => api.get<SchoolYear[]>(`/schools/${schoolId}/school-years`, undefined, signal),
    enabled: !!schoolId,
    staleTime: 5 * 60_000,
  });

export const useClasses = (schoolId: string | null, year?: number | null, grade?: number | null) =>
  useQuery({
    queryKey: ['classes', schoolId, year ?? null, grade ?? null],
    queryFn: ({ signal }) => api.get<ClassItem[]>(`/schools/${schoolId}/classes`, { year, grade }, signal),
    enabled: !!schoolId,
    staleTime: 30_000,
  });

/**
 * The staff directory (name, position, subjects, the contact the school publishes): what every
 * reader of the school may see, and all that pickers need. The personal list is useStaff.
 */
export const useStaffDirectory = (schoolId: string | null, q?: string, position?: string) =>
  useQuery({
    queryKey: ['staff-directory', schoolId, q ?? '', position ?? ''],
    queryFn: ({ signal }) => api.get<StaffDirectoryEntry[]>(`/schools/${schoolId}/staff-directory`, { q, position }, signal),
    enabled: !!schoolId,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

/** Personal staff records: managers of the school and offices only (teachers get 404). */
export const useStaff = (schoolId: string | null, q?: string, position?: string, includeLeft?: boolean) =>
  useQuery({
    queryKey: ['staff', schoolId, q ?? '', position ?? '', !!includeLeft],
    queryFn: ({ signal }) => api.get<Staff[]>(`/schools/${schoolId}/staff`, { q, position, includeLeft }, signal),
    enabled: !!schoolId,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

export const useSubjects = (schoolId: string | null, year: number | null, grade?: number | null) =>
  useQuery({
    queryKey: ['subjects', schoolId, year, grade ?? null],
    queryFn: ({ signal }) => api.get<SchoolSubject[]>(`/schools/${schoolId}/subjects`, { year, grade }, signal),
    enabled: !!schoolId && !!year,
    staleTime: 5 * 60_000,
  });

export const useUsers = (unitId: string | null, q?: string) =>
  useQuery({
    queryKey: ['users', unitId, q ?? ''],
    queryFn: ({ signal }) => api.get<User[]>('/users', { unitId, q }, signal),
    enabled: !!unitId,
    placeholderData: keepPreviousData,
  });

/** GDPT 2018 subject catalog (code → name), for staff subjects. */
export const useReferenceSubjects = () =>
  useQuery({
    queryKey: ['reference-subjects'],
    queryFn: ({ signal }) => api.get<SubjectRef[]>('/reference/subjects', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
