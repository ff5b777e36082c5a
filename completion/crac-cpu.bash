# bash completion for crac-cpu(1) and crac-restore(1).
#
# Everything offered comes from the programs being completed, so it cannot
# fall out of step with them: the commands from `crac-cpu --help`, each
# command's options (and what they take) from `crac-cpu CMD --help`, the
# --format values from the command's own refusal of an unknown format,
# the --jdk and --translate-to values from `crac-cpu layouts --format json`
# (its layout and build names).  Operands and FILE, DIR and PATH arguments
# complete as file names.  Installed as
# $(DATAROOTDIR)/bash-completion/completions/crac-cpu (and crac-restore).

# _crac_cpu_opts PROG [CMD]: "OPTION ARG" lines (ARG "-" for none) from
# the option table of PROG [CMD] --help: lines "  -o, --output FILE  text".
_crac_cpu_opts()
{
	"$@" --help 2>/dev/null | awk '
	/^  -/ {
		tag = substr($0, 3)
		i = index(tag, "  ")
		if (i)
			tag = substr(tag, 1, i - 1)
		n = split(tag, part, ", ")
		arg = "-"
		if (split(part[n], w, " ") > 1)
			arg = w[2]
		for (j = 1; j <= n; j++) {
			split(part[j], w, " ")
			print w[1], arg
		}
	}'
}

# The commands crac-cpu --help lists.
_crac_cpu_commands()
{
	"$1" --help 2>/dev/null | awk '/^commands:/ { on = 1; next }
	    on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
}

# The --format values of a command: "unknown format 'x' (a, b or c)".
_crac_cpu_formats()
{
	"$1" "$2" --format '?' 2>&1 >/dev/null |
	    sed -n "s/.*unknown format '?' (\(.*\))\$/\1/p" |
	    sed -e 's/, / /g' -e 's/ or / /g'
}

# Layout and JDK names: the "name" members of the items of "layouts" and
# "builds" (jansson's indentation of 2: six spaces for those members).
_crac_cpu_jdks()
{
	"$1" layouts --format json 2>/dev/null |
	    sed -n 's/^      "name": "\([^"]*\)",\{0,1\}$/\1/p'
}

# _crac_cpu_reply ARG CUR PROG CMD: COMPREPLY for an option's argument.
_crac_cpu_reply()
{
	case $1 in
	L|L2)	COMPREPLY=($(compgen -W "$(_crac_cpu_jdks "$3")" -- "$2")) ;;
	F|FORMAT) COMPREPLY=($(compgen -W "$(_crac_cpu_formats "$3" "$4")" -- "$2")) ;;
	DIR)	COMPREPLY=($(compgen -d -- "$2")) ;;
	FILE|PATH|JAVA_HOME) COMPREPLY=($(compgen -f -- "$2")) ;;
	COMMAND) COMPREPLY=($(compgen -c -- "$2")) ;;
	*)	COMPREPLY=() ;;		# a value no list holds (K, V, RISKS)
	esac
}

_crac_cpu()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local prog=${COMP_WORDS[0]} cmd= spec arg i

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*)	;;
		*)	cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$(_crac_cpu_commands "$prog") help version
		    $(_crac_cpu_opts "$prog" | cut -d' ' -f1)" -- "$cur"))
		return
	fi
	case $cmd in
	help)	COMPREPLY=($(compgen -W "$(_crac_cpu_commands "$prog")" -- "$cur"))
		return ;;
	version) COMPREPLY=(); return ;;
	esac
	spec=$(_crac_cpu_opts "$prog" "$cmd")
	if [[ $cur == --*=* ]]; then
		arg=$(awk -v o="${cur%%=*}" '$1 == o { print $2 }' <<<"$spec")
		_crac_cpu_reply "$arg" "${cur#*=}" "$prog" "$cmd"
		COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
		return
	fi
	arg=$(awk -v o="$prev" '$1 == o { print $2 }' <<<"$spec")
	if [[ -n $arg && $arg != - ]]; then
		_crac_cpu_reply "$arg" "$cur" "$prog" "$cmd"
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(cut -d' ' -f1 <<<"$spec") --version" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}

_crac_restore()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local spec arg i

	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then	# JAVA_ARGS: files
			COMPREPLY=($(compgen -f -- "$cur"))
			return
		fi
	done
	spec=$(_crac_cpu_opts "${COMP_WORDS[0]}")
	arg=$(awk -v o="$prev" '$1 == o { print $2 }' <<<"$spec")
	if [[ -n $arg && $arg != - ]]; then
		_crac_cpu_reply "$arg" "$cur" "" ""
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(cut -d' ' -f1 <<<"$spec")" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -d -- "$cur"))	# IMAGE_DIR...
}

complete -o filenames -F _crac_cpu crac-cpu
complete -o filenames -F _crac_restore crac-restore
