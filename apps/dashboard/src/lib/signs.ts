/** The signs the dashboard draws beside words (components/common/SignIcon.vue). */
export type Sign = 'check' | 'cross' | 'exclamation' | 'circle' | 'dash' | 'ellipsis' | 'star';
