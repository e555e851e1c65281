# bash completion for framepipe                                  -*- shell-script -*-
#
# Installed as share/bash-completion/completions/framepipe. To try it from a source tree:
#   source completions/framepipe.bash
#
# Options and pixel formats are read from `framepipe --help`, preset names from
# `framepipe --list-presets`, colormaps from `framepipe --colormap list`, so the completion
# always matches the framepipe being completed (including presets in ~/.config/framepipe/presets and $FRAMEPIPE_PRESET_PATH).

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
            COMPREPLY=($(compgen -W "$("$prog" concat --help 2>/dev/null |
                grep -oE '(^|[ ,])--?[a-zA-Z][-a-zA-Z0-9]*' | tr -d ' ,' | sort -u)" -- "$cur"))
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
        --finish-timeout | --convert-threads)
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        local opts
        opts=$("$prog" --help 2>/dev/null | grep -oE '(^|[ ,])--?[a-zA-Z][-a-zA-Z0-9]*' | tr -d ' ,' | sort -u)
        COMPREPLY=($(compgen -W "$opts --" -- "$cur"))
        return
    fi
    # The output: a video file name; or, as the first word, the concat subcommand.
    COMPREPLY=($(compgen -f -- "$cur"))
    ((cword == 1)) && COMPREPLY+=($(compgen -W "concat" -- "$cur"))
    compopt -o filenames 2>/dev/null
}
complete -F _framepipe framepipe
