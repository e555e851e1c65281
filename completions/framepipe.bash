# bash completion for framepipe                                  -*- shell-script -*-
#
# Installed as share/bash-completion/completions/framepipe. To try it from a source tree:
#   source completions/framepipe.bash
#
# Options and pixel formats are read from `framepipe --help` (and `framepipe bench --help`,
# `framepipe concat --help` for the subcommands), preset names from
# `framepipe --list-presets`, colormaps from `framepipe --colormap list`, so the completion
# always matches the framepipe being completed (including presets in ~/.config/framepipe/presets and $FRAMEPIPE_PRESET_PATH).

# The options `framepipe [SUBCOMMAND] --help` lists: the first word of each line of its Options
# section ("-s,--size WxH ..."), not the options its examples and descriptions mention.
_framepipe_options()
{
    "$@" --help 2>/dev/null | sed -nE 's/^ +(-[-a-zA-Z0-9,]*).*/\1/p' | tr ',' '\n' | sort -u
}

_framepipe()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local prog=${words[0]} i
    # After `--`, words are ffmpeg output options: complete nothing of ours.
    for ((i = 1; i < cword; i++)); do
        [[ ${words[i]} == -- ]] && return
    done

    # `framepipe bench ...`: its own options (from `framepipe bench --help`), each of which takes a
    # value or none; bench takes no other words.
    if ((cword > 1)) && [[ ${words[1]} == bench ]]; then
        case $prev in
            -i | --input | --json | --ffmpeg)
                COMPREPLY=($(compgen -f -- "$cur"))
                compopt -o filenames 2>/dev/null
                return
                ;;
            -s | --size)
                COMPREPLY=($(compgen -W "640x360 854x480 1280x720 1920x1080 2560x1440 3840x2160" -- "$cur"))
                return
                ;;
            --pix-fmt)
                local fmts
                fmts=$("$prog" bench --help 2>/dev/null | sed -n 's/.*--pix-fmt.*(default [a-z0-9]*): *//p' | tr -d ,)
                COMPREPLY=($(compgen -W "$fmts" -- "$cur"))
                return
                ;;
            -r | --fps)
                COMPREPLY=($(compgen -W "24 25 30 50 60 30000/1001 60000/1001" -- "$cur"))
                return
                ;;
            --presets)
                # A comma-separated list: complete its last item, keeping the ones before it.
                local presets before=
                [[ $cur == *,* ]] && before=${cur%,*},
                presets=$("$prog" --list-presets 2>/dev/null | awk '$2 != "-" {print $1}')
                [[ -z $before ]] && presets="$presets all"
                COMPREPLY=($(compgen -P "$before" -W "$presets" -- "${cur##*,}"))
                compopt -o nospace 2>/dev/null
                return
                ;;
            --frames | --max-size | --min-speed | --min-ssim | --save-preset)
                return
                ;;
        esac
        COMPREPLY=($(compgen -W "$(_framepipe_options "$prog" bench)" -- "$cur"))
        return
    fi

    # `framepipe concat ...`: its own options (from `framepipe concat --help`); other words are
    # the output and the segments, file names.
    if ((cword > 1)) && [[ ${words[1]} == concat ]]; then
        case $prev in
            --progress)
                COMPREPLY=($(compgen -W "auto bar json none" -- "$cur"))
                return
                ;;
            --frames | --progress-fd)
                return
                ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_framepipe_options "$prog" concat)" -- "$cur"))
            return
        fi
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
        return
    fi

    case $prev in
        -p | --preset)
            local presets
            presets=$("$prog" --list-presets 2>/dev/null | awk '$2 != "-" {print $1}')
            COMPREPLY=($(compgen -W "$presets auto" -- "$cur"))
            return
            ;;
        --pix-fmt)
            local fmts
            fmts=$("$prog" --help 2>/dev/null | sed -n 's/.*--pix-fmt.*(default [a-z0-9]*): *//p' | tr -d ,)
            COMPREPLY=($(compgen -W "$fmts" -- "$cur"))
            return
            ;;
        -s | --size)
            COMPREPLY=($(compgen -W "640x360 854x480 1280x720 1920x1080 2560x1440 3840x2160" -- "$cur"))
            return
            ;;
        -r | --fps)
            COMPREPLY=($(compgen -W "24 25 30 50 60 30000/1001 60000/1001" -- "$cur"))
            return
            ;;
        --preset-file)
            COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        -i | --input | -o | --output | --ffmpeg)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        --convert)
            COMPREPLY=($(compgen -W "auto framepipe ffmpeg" -- "$cur"))
            return
            ;;
        --colormap)
            local maps
            maps=$("$prog" --colormap list 2>/dev/null | awk '{print $1}')
            COMPREPLY=($(compgen -W "$maps list" -- "$cur"))
            return
            ;;
        --range)
            COMPREPLY=($(compgen -W "auto auto: 0:1" -- "$cur"))
            compopt -o nospace 2>/dev/null
            return
            ;;
        --nan-color)
            COMPREPLY=($(compgen -W "black white gray grey red green blue magenta cyan yellow" -- "$cur"))
            return
            ;;
        --input-format)
            COMPREPLY=($(compgen -W "auto raw y4m pnm png" -- "$cur"))
            return
            ;;
        --input-matrix)
            COMPREPLY=($(compgen -W "bt601 bt709" -- "$cur"))
            return
            ;;
        --progress)
            COMPREPLY=($(compgen -W "auto bar json none" -- "$cur"))
            return
            ;;
        --finish-timeout | --convert-threads | --segment-start | --frames | --progress-fd)
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_framepipe_options "$prog") --" -- "$cur"))
        return
    fi
    # The output: a video file name; or, as the first word, a subcommand.
    COMPREPLY=($(compgen -f -- "$cur"))
    ((cword == 1)) && COMPREPLY+=($(compgen -W "bench concat" -- "$cur"))
    compopt -o filenames 2>/dev/null
}
complete -F _framepipe framepipe
