# Fleet-wide intersection of the CPUID feature registers (leaves 1, 7.0 and
# 0x80000001, every core type), as a sorted list of "leaf.reg.bit".
def hexbits:
  ltrimstr("0x") | explode | reverse | to_entries
  | map(.key as $k
        | (.value | if . >= 97 then . - 87 elif . >= 65 then . - 55 else . - 48 end) as $d
        | [range(4) | select((($d / pow(2; .)) | floor) % 2 == 1) | . + 4 * $k])
  | add;
def feats:
  [.core_types[].leaves[]
   | select((.[0] == "0x00000001" or .[0] == "0x00000007" or .[0] == "0x80000001") and .[1] == "0x0")
   | .[0] as $l | .[2:] | to_entries[] | .key as $r | .value | hexbits[] | "\($l).\($r).\(.)"]
  | unique;
reduce inputs as $p (null; ($p | feats) as $f | if . == null then $f else . - (. - $f) end)
| {hosts: "fleet", intersection: .}
