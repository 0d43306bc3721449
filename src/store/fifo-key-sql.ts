/**
 * The FIFO key of an event, in SQL both stores speak: null when its callback
 * has no ordering, '' when the callback orders all its events, or the
 * sender/recipient ECGrid ID pair of its parcel ('0:0' without one), the key
 * fifoKeyOf gives a new event. `callback` names the callbacks row;
 * `parcelId` the event's parcel id.
 */
export function fifoKeySql(callback: string, parcelId: string): string {
  return `CASE WHEN ${callback}.ordering <> 'fifo' THEN NULL
    WHEN ${callback}.ordering_key = 'partner' THEN COALESCE(
      (SELECT p.sender_ecgrid_id || ':' || p.recipient_ecgrid_id FROM parcels p WHERE p.id = ${parcelId}), '0:0')
    ELSE '' END`;
}
