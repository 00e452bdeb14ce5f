/** Money as people read it: exact amounts of integer minor units, formatted for notifications and timelines. */
export { formatMoney, tryFormatMoney } from './format';
