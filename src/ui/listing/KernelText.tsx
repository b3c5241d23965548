/**
 * One instruction in kernel syntax, with the map reference (`map[counter]`) marked and
 * explained: the kernel prints an address there, bpftool a map id.
 */
import { mapLoadNote } from './map-names';

export function KernelText({ text, map, valueOff }: { text: string; map?: string; valueOff?: number }) {
  if (map === undefined) return <>{text}</>;
  const at = text.indexOf('map[');
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <span className="map-ref" title={mapLoadNote(map, valueOff)} data-testid="map-ref">{text.slice(at)}</span>
    </>
  );
}
