// Data module: common US given names and surnames, lower case, space-separated.
// Compiled from memory of the public-domain US Census Bureau surname frequency list (2010) and the
// Social Security Administration's popular baby names; not exhaustive, not ranked. Used only as a
// detector signal (a hit raises confidence that a column holds names); a miss proves nothing.

/** Common US given names (female and male). */
export const FIRST_NAMES = `
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly
emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley
anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather diane
ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline
martha gloria teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace denise amber doris marilyn
danielle beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori tiffany rose tammy jane irene
julia lillian ellen kathy norma paula nora gina leah alicia annie anita wanda peggy crystal lois phyllis rita florence
edna june ethel thelma clara lucille mildred josephine gladys bernice ruby hazel agnes geraldine marjorie vera pearl minnie
bertha myrtle lena eva elsie ida viola sylvia mabel alma marian juanita eleanor esther dolores carmen yolanda rosa veronica
monica erica erin tara dawn holly april jill kristen melanie vanessa stacy wendy carrie tracy tanya sheila renee valerie
jamie joanne joann regina sherry caroline jasmine brianna destiny taylor morgan haley sydney alyssa kaitlyn jenna chloe
ava mia ella avery sofia scarlett aria layla zoe penelope riley nora lily eleanor hazel aurora violet savannah audrey
brooklyn bella claire skylar lucy paisley everly anna caroline nova genesis emilia kennedy maya willow kinsley naomi aaliyah
elena sarah ariana allison gabriella alice madelyn cora ruby eva serenity autumn adeline hailey gianna valentina isla eliana
quinn nevaeh ivy sadie piper lydia alexa josephine emery julia delilah arianna vivian kaylee sophie brielle madeline peyton
rylee clara hadley melanie mackenzie reagan adalynn liliana aubree jade katherine isabelle natalia raelynn athena ximena
arya leilani taylor faith rose kylie alexandra mary margaret lyla ashley amaya eliza brianna bailey andrea khloe jasmine
melody iris isabel norah annabelle valeria emerson adalyn ryleigh eden emersyn anastasia kayla alyssa juliana charlie esther
ariel cecilia valerie alina molly reese aliyah lilly parker finley morgan sydney jordyn eloise trinity daisy kimberly lauren
genevieve sara arabella harmony elise remi teagan alexis london sloane laila lucia diana juliette sienna elliana londyn
ayla callie gracie josie amara jocelyn daniela everleigh mya rachel summer alana brooke alaina mckenzie catherine amelia
harper evelyn abigail elizabeth sofia emily avery mila camila luna gabriela rosalie lola kendall mckenna yesenia guadalupe
lupe rosario consuelo esperanza marisol maribel araceli leticia blanca silvia beatriz alejandra adriana lorena graciela
fernanda mariana paola daniela ximena regina renata jimena valentina
james robert john michael david william richard joseph thomas christopher charles daniel matthew anthony mark donald steven
andrew paul joshua kenneth kevin brian george timothy ronald jason edward jeffrey ryan jacob gary nicholas eric jonathan
stephen larry justin scott brandon benjamin samuel gregory alexander patrick frank raymond jack dennis jerry tyler aaron
jose adam nathan henry zachary douglas peter kyle noah ethan jeremy walter christian keith roger terry austin sean gerald
carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan alan juan albert willie elijah wayne
randy vincent mason roy ralph bobby russell bradley philip eugene liam oliver lucas levi sebastian mateo jackson owen
luke grayson isaac jayden theodore caleb asher leo hudson wyatt ezra hunter carter julian maverick lincoln josiah thomas
charles miles jaxon nolan adrian cameron angel colton greyson santiago easton eli everett jace rowan weston kai axel
bennett brayden jameson nathaniel ian carson cooper declan ryder silas jonah damian emmett roman micah xavier luca
kingston parker harrison ezekiel waylon chase giovanni sawyer vincent jaxson bryson beau enzo diego evan brooks legend
kayden tristan atlas ivan dominic river bentley milo luis jesus alex myles jude george calvin rhett zion graham archer
max karter lorenzo hayden knox george ashton barrett tucker zane jasper jace jax finn emmanuel carlos antonio
victor hector manuel francisco miguel rafael fernando jorge ricardo eduardo roberto pedro sergio alejandro javier marco
mario ruben ramon oscar armando arturo alfredo enrique cesar raul salvador guillermo rodrigo andres emilio pablo ignacio
fred harry howard earl jimmy johnny clarence ernest leonard stanley herbert melvin lloyd leroy alfred sam norman glenn
gordon dale allen marvin curtis clifford chester francis lewis leon warren nelson floyd cecil lester vernon herman
theodore homer otis elmer hubert morris wilbur virgil clyde luther sidney milton bernard edwin glen marion maurice
troy derek shawn travis shane casey corey chad brett darren todd marcus derrick dustin cody tony lance jared grant
tanner garrett wesley devin dalton colby jeffery brent trevor spencer mitchell clayton jorge reggie terrence darnell
jamal tyrone andre lamar malik darius deandre jermaine dwayne cedric reginald marquis demetrius devonte tremaine
kwame jamar rashad kareem dante omar ali ahmed mohammed muhammad hassan hussein ibrahim yusuf khalid tariq amir
wei li jun hui ying ming lei hao jie yan chen min xin yu mei ling hong raj priya anil sunil rahul amit vijay ravi
deepak sanjay arjun krishna lakshmi anjali neha pooja kavya divya aditya rohan vikram hiroshi takeshi yuki kenji akira
haruto sora yuto ren minh anh linh thanh duc hung tuan nguyen sung jin hyun soo young ji ho
abby ada addison adele adrienne agatha aileen aimee aisha alberta alexandria alfreda alicia alisha alison allie alma alondra
althea alva amalia amani amelie amira ana anabel anastacia andrea angel angelica angelina angie anika anissa annabel
annette annmarie antoinette antonia april ariana arlene ashlee ashleigh ashlyn astrid aubrey audra augusta aurelia autumn
ayanna babette bambi beatrice becky belinda bernadette bernadine berta beth bethany betsy bettie beulah bianca billie
blair blanche bobbie bonita bonnie brandi brandy breanna bridget britney brittney brooke caitlin callie camille candace
candice cara carla carlene carly carmela carmen carol carole carolina carrie casandra cassandra cassidy cassie catalina
cathy cecelia cecile celeste celia celina chandra charity charlene charmaine chelsea cheri cherie cheryl chiquita chris
christa christi christie christy ciara cindy claudette claudia colette colleen concepcion connie constance cora corinne
courtney cristina daisy dakota dana daphne darla darlene dayna deana deanna debbie deborah deidre deirdre delia della
delores dena desiree dianna dina dionne dixie dominique dona dora doreen dorothea dorthy dottie earline ebony edith
edwina eileen elaine elba eliza ella ellie eloise elva elvira emilia emma erika erma ernestine essie estela estella
estelle eugenia eula eunice eve evangeline faye felicia fern flora frances francine freda frieda gabrielle gail gay
gayle genevieve georgia georgina geneva geraldine gertrude gilda ginger gladys glenda gretchen guadalupe gwen gwendolyn
hallie harriet hattie heidi helena henrietta hilda hillary hollie hope imelda imogene inez ingrid irma isabel iva jackie
jaclyn jacquelyn jami jana janell janelle janette janie janine janis jeanette jeanie jeanne jeannette jeannie jenifer
jenny jewel joann joanna jodi jody johanna johnnie jolene joni josefina josie joy joyce juana juanita judy julianne
julie juliet juliette justine kara karin karla kate katelyn katharine kathie kathrine katie katrina kay kayla keisha
kelli kellie kendra kenya keri kerri kerry kim kimberley kirsten krista kristi kristie kristin kristina kristine kristy
krystal lacey lakeisha lakisha latasha latisha latonya latoya laura laurel lauri laurie laverne lea leanne leigh lela
lenora leona leola leslie leticia lila lilia lillie lindsay lindsey liz liza lizzie lola lolita lora loraine loretta
lorene lorna lorraine louisa louise lucia lucinda luella luisa lula lupe luz lydia lynda lynette lynn lynne mable
madeleine mae maggie mamie mandy marcella marci marcia marcie margarita margie margo marguerite mari mariah marianne
maribel marie marina marion marisa marissa marjorie marla marlene marsha marta matilda mattie maureen maxine may
meagan meghan melba melinda melissa mercedes meredith merle mia michele mildred millie mindy miranda miriam misty
mollie mona muriel myra myrna nadia nadine nanette natalia natasha nellie nettie nichole nikki nina noemi nola noreen
odessa ofelia olga olive opal ora paige pam patsy patti patty paulette pauline penny petra philippa polly priscilla
queen rachael rae ramona raquel rebekah reba regina rena rene renee rhonda rita roberta robin robyn rochelle rosalie
rosalind rosalyn rosemarie rosemary rosetta rosie rowena roxanne roxie rubye sabrina sadie sallie sally samantha
sandy santa selena selma serena shana shanna shannon shari sharlene shauna shawna shelby shelia shelley shelly sheri
sherri sherrie sheryl shirley sierra simone socorro sondra sonia sonja sonya stacey staci stacie stella sue susana
susanne susie suzanne suzette tabitha tamara tameka tamika tammie tamra tania tanisha tasha tatiana terra terri terrie
tessa thelma therese tina toni tonia tonya tracey traci tracie tricia trina trisha trudy twila ursula valarie velma
verna veronica vicki vickie vicky vilma viola violet virgie vivian wanda wendi whitney wilda willa wilma winifred
yvette yvonne zelda zella zoila
aaron abe abraham abram adolfo adolph agustin al alberto alden aldo alec alejandro alfonso alfred alonzo alphonso
alton alva alvin amado ambrose amos anderson andres andy angelo anibal antoine anton antwan archie ari arnold arnulfo
art arturo augustine augustus aurelio barry bart basil ben benito benny bernardo bert bill billy blaine bob bobby
boyd brad bradford brady brant brendan brenton brett brock broderick bruno bryant buck bud buddy burton byron caleb
calvin carey carlo carlton carmelo carol carroll cary cecil cedric chad chadwick charley charlie chauncey chester chris
christopher chuck clair clarence claude clay clement cleo cleveland cliff clifton clint clinton cole coleman conrad
cornelius craig cruz curt curtis dallas damon dan dane danny darin dario darrel darrell darrin darryl daryl dave
davis dean delbert dell delmar demarcus denis dennis denny desmond devin dewey dexter dick dino dirk dominick don
donnell donnie donovan dorian doug doyle drew duane dudley dusty dwight earnest ed eddie edgar edmond edmund edward
efrain elbert eldon eli elias elliot elliott ellis elmer elton elvin elvis emanuel emery emil emile emmett ervin
erwin esteban ethan eugene everett ezra federico felipe felix ferdinand fidel floyd forrest foster frankie franklin
freddie frederick gabriel gale galen garland garry garth gavin gene geoffrey gerard gerardo gil gilbert gilberto
giovanni glen glenn graham grady greg grover guadalupe gus gustavo guy hal hank hans harlan harley harris harvey
heath heriberto hiram hollis horace houston hugh hugo humberto ira irving irwin isaac isaiah isidro ismael israel
jacques jaime jake jamie jan jarrod jarvis jasper javier jay jean jeff jefferson jeffrey jerald jeremiah jermaine
jerome jess jessie jim jody joel joey johnathan johnnie jon jonas jonathon josue jules julio julius junior justin
karl ken kendall kendrick kenny kent kermit kim kirk kris kurt lamar lamont lance lane larry laurence lee lemuel
lenny leo leonardo leroy les lester levi lincoln lionel lon lonnie loren lorenzo lou louie louis lowell loyd lucas
lucian luciano luigi lyle lyman mack malcolm marc marcel marcos marion mark marlin marshall martin marty mathew
maurice max maximo maxwell mckinley mel merle merrill michel mickey miguel mike miles milo mitch mohamed monroe
monte morgan moses murray myron nathanael ned neil nestor nicholas nick nicolas noah noel norbert norris octavio
odell ollie omar orlando orville osvaldo otto owen pat patrick percy perry pete phil pierre porter preston quentin
quincy rafael ralph ramiro randal randall randolph rene reuben rex rey reynaldo rhett rich richie rick rickey ricky
rigoberto riley rob robbie robin rocco rod roderick rodney rogelio roland rolando rolf ron ronnie rory ross roy
royce rudolph rudy rufus rupert russ russel salvatore sammy santos saul scot scottie seth seymour shannon sheldon
sherman sid silas simon sol solomon sonny stan stefan sterling steve stevie stewart stuart sylvester taylor ted
teddy terence terrance thad thaddeus theo thurman tim timmy toby todd tom tomas tommie tommy tony trent trevor
truman ty tyrell tyson ulysses val van vance vaughn vern vernon vicente vince virgil wade waldo wallace walt ward
wendell wilbert wiley wilfred wilfredo will willard williams wilson winston wm woodrow zachariah zachary zackary
`;

/** Common US surnames. */
export const LAST_NAMES = `
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas
taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king
wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez
phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz
morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett
gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez powell jenkins perry russell
sullivan bell coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton
graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford
castro marshall owens harrison fernandez mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker
guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes
palmer wagner black robertson boyd rose stone salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols
stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos hart
bradley knight elliott cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry perkins
hoffman johnston matthews pena richards contreras willis carpenter lawrence sandoval guerrero george chapman rios estrada
ortega watkins greene nunez wheeler valdez harper burke larson santiago maldonado morrison franklin carlson austin dominguez
carr lawson jacobs obrien lynch singh vega bishop montgomery oliver jensen harvey williamson gilbert dean sims espinoza
howell li wong reid hanson le mccoy garrett burton fuller wang weber welch rojas lucas marquez fields park yang little
banks padilla day walsh bowman schultz luna fowler mejia davidson acosta brewer may holland juarez newman pearson curtis
cortez douglas schneider joseph barrett navarro figueroa keller avila wade molina stanley hopkins campos barnett bates
chambers caldwell beck lambert miranda byrd craig ayala lowe frazier powers neal leonard gregory carrillo sutton fleming
rhodes shelton schwartz norris jennings watts duran walters cohen mcdaniel moran parks steele vaughn becker holt deleon
barker terry hale leon hail benson haynes horton miles lyons pham graves bush thornton wolfe warner cabrera mckinney mann
zimmerman dawson lara fletcher page mccarthy love robles cervantes solis erickson reeves chang klein salinas fuentes
baldwin daniel simon velasquez hardy higgins aguirre lin cummings chandler sharp barber bowen ochoa dennis robbins liu
ramsey francis griffith paul blair oconnor cardenas pacheco cross calderon quinn moss swanson chan rivas khan rodgers
serrano fitzgerald rosales stevenson christensen manning gill curry mclaughlin harmon mcgee gross doyle garner newton
burgess reese walton blake trujillo adkins brady goodman roman webster goodwin fischer huang potter delacruz montoya todd
wu hines mullins castaneda malone cannon tate mack sherman hubbard hodges zhang guerra wolf valencia saunders franco rowe
gallagher farmer hammond hampton townsend ingram wise gallegos clarke barton schroeder maxwell waters logan camacho
strickland norman person colon parsons frank harrington glover osborne buchanan casey floyd patton ibarra ball tyler
suarez bowers orozco salas cobb gibbs andrade bauer conner moody escobar mcguire lloyd mueller hartman french kramer
mcbride pope lindsey velazquez norton mccormick sparks flynn yates hogan marsh macias villanueva zamora pratt stokes
owen ballard lang brock villarreal charles drake barrera cain patrick pineda burnett mercado santana shepherd bautista ali
shaffer lamb trevino mckenzie hess beil olsen cochran morton nash wilkins petersen briggs shah roth nicholson holloway
lozano rangel flowers hoover short arias mora valenzuela bryan meyers weiss underwood bass greer summers houston carson
morrow clayton whitaker decker yoder collier zuniga carey wilcox melendez poole roberson larsen conley davenport copeland
massey lam huff rocha cameron jefferson hood monroe anthony pittman huynh randall singleton kirk combs mathis christian
skinner bradford richard galvan wall boone kirby wilkinson bridges bruce atkinson velez meza roy vincent york hodge
villa abbott allison tapia gates chase sosa sweeney farrell wyatt dalton horn barron phelps yu dickerson heath foley
atkins mathews bonilla acevedo benitez zavala hensley glenn cisneros harrell shields rubio huffman choi boyer garrison
arroyo bond kane hancock callahan dillon cline wiggins grimes arellano melton oneill savage ho beltran pitts parrish
ponce rich booth koch golden ware brennan mcdowell marks cantu humphrey baxter sawyer clay tanner hutchinson kaur berg
wiley gilmore russo villegas hobbs keith wilkerson ahmed beard mcclain montes mata rosario vang walter henson oneal
mosley mcclure beasley stephenson snow huerta preston vance barry johns eaton blackwell dyer prince macdonald solomon
guevara stafford english hurst woodard cortes shannon kemp nolan mccullough merritt murillo moon salgado strong kline
cordova barajas roach rosas winters jacobson lester knox bullock kerr leach meadows orr davila whitehead pruitt kent
conway mckee barr david dejesus marin berger mcintyre blankenship gaines palacios cuevas bartlett durham dorsey
mccall odonnell stein browning stout lowery sloan mclean hendricks calhoun sexton chung gentry hull duarte ellison
nielsen gillespie buck middleton sellers leblanc esparza hardin bradshaw mcintosh howe livingston frost glass morse
knapp herman stark bravo noble spears weeks corona frederick buckley mcfarland hebert enriquez hickman quintero
randolph schaefer walls trejo house reilly pennington michael conrad giles benjamin crosby fitzpatrick donovan mays
mahoney valentine raymond medrano hahn mcmillan small bentley felix peck lucero boyle hanna pace rush hurley harding
mcconnell bernal nava ayers everett ventura avery pugh mayer bender shepard mcmahon landry case sampson moses magana
blackburn dunlap gould duffy vaughan herring mckay espinosa rivers farley bernard ashley friedman potts truong costa
correa blevins nixon clements fry delarosa best benton lugo portillo dougherty crane haley phan villalobos blanchard
horne finley quintana lynn esquivel bean dodson mullen xiong hayden cano levy huber richmond moyer lim frye sheppard
mccarty avalos booker waller parra woodward jaramillo krueger rasmussen brandt peralta donaldson stuart faulkner maynard
galindo coffey estes sanford burch maddox vo oconnell vu andersen spence mcpherson church schmitt stanton leal cherry
compton dudley sierra pollard alfaro hester proctor lu hinton novak good madden mccann terrell jarvis dickson reyna
cantrell mayo branch hendrix rollins rowland whitney duke odom daugherty travis tang archer
abernathy ackerman adair addison agee aiken akers albers alcorn alder alford alger allard allman alston alvey ames
amos anders andrus angel ankrom anson appleby archuleta arevalo armijo arndt arnett arriaga arsenault asher ashby
ashcraft ashworth atwood augustine ault ausmus avent babcock bach bacon badger bagley bailey baird bales balogh
bancroft bankston barajas barbee barbour barclay barela barfield barksdale barlow barnard barnhart barr barrientos
barrow bartels bartholomew bartley barton bateman batista battle baugh baum baumann bayer beach beal beale beam
bearden beatty beaty beaudoin beaulieu beaver bechtel beckett beckman bedford beebe beecher belanger belcher bell
bellamy beltz benavides benner bennington benoit bentz berryman bertram betancourt betts bevins bier bigelow biggs
billings bingham binkley birch bird bischoff bivens bixler black blackman blackmon blackstone blackwood blaine blalock
blanco bland blanton blaylock bledsoe bloom blount blum boatwright bock bogan boggs bohannon boland bolden bolin
bolton bond bonner booker boone bost bostic bostwick boswell bott bouchard boudreaux bourgeois bowden bowie bowles
bowling boyce boyles bracken brackett bradbury bragg branham brannon brantley braswell bray breaux breedlove brenner
brewster brice bridgeman bright brinkley briscoe britt britton broadway brockman brooker brookins brough broussard
brower brownlee broyles brubaker bruner brunson brush bryce buchholz buckner buford bui bullard bunch bundy bunn
burch burdick burger burk burkett burkhart burleson burley burnham burnside burrell burris burroughs burrows bussey
butcher butts byers bynum cady cage cagle cahill cain caldwell calkins call calloway calvert camp canady cantrell
capps card carden carey carlisle carmichael carnes carney caron carrasco carrington carroll carson carter cartwright
carver cash cason cassidy castellano castleberry caudill causey cavanaugh cavazos chaffin chamberlain chambless
champion chaney chappell chase chastain chatman cheek cheney chesser childers childress childs chisholm christenson
christie christy cisneros clancy clapp clark clary claxton clem clemens clement clemons cleveland clifford clifton
cloud coates coburn cochrane cody coe coffman coker colbert coley collado collazo collier colvin comer conklin
conn connell connelly connor connors conover conroy cook cooke cooley coombs cooney corbett corbin corcoran cordero
corley cornelius cornell cornett cosby cote cotton couch coulter courtney covington cowan coward cowart cowell cox
coyle crabtree craft crain cramer cranford crawley creech crenshaw crews crider criswell crockett cromer cromwell
crouch crow crowder crowe crowell crowley crum crump cuellar culbertson cullen culver cunningham cupp currie curtin
dabney dahl dailey dale daley dalton daly damico damron danforth darby darden darling daugherty davey davies dawkins
deal dean dearing decker dees dehart delaney dell deloach demarco dempsey denham denney denning dennison denson
dent denton derr desai devine devlin dew dewey dewitt dial dick dickens dickey dickinson diehl dietrich dill dillard
dinh dion dixon dobbins dobbs dobson dodd dodge doherty dolan donahue donnelly dooley doran dorman dorris doss
dotson dougherty dove dow dowd dowdy dowling downey downing downs doyle drake draper drew driscoll driver drummond
dubois dubose duckworth dudley duff duffy dugan duggan dukes dumas dunbar dunaway dunham dunlap dunn dupree dupuis
durbin durden durfee durr dutton duval dwyer dye dykes eads eagle earl early earnest easley eason easterling eastman
eaves eckert eddy edmonds edmondson edwards egan eggleston eldridge elkins eller elliot ellington emerson emery engel
england engle english ennis epps erwin eubanks evers ewing ezell fagan fair fairbanks fairchild falcon fannin farias
farr farrar farris faust fay feldman fell felton fenton ferrell ferris fields fierro fife finch fincher fink finn
fischer fishman fitch fitts flanagan flanders flannery fleck fleming fletcher flint flood florence fogle folsom
fontaine fontenot foote forbes forrest fortier fortune foss foust fowler fraley france francis frank franz fraser
frazer frazier freed freeland freeman french fretz frey frick friend fries fritz frost fry fuchs fulton funk fuqua
gable gabriel gaddis gaffney gagnon gaither galbraith gale gallo galloway gamble gann gant gantt gard garland garner
garrett garvey gary gaskins gates gaston gatlin gauthier gay gaylord gee geiger gentile gerber germain gibbons giddens
gifford gilchrist giles gill gillen gilliam gillis gilman gilmer gipson girard gist glaze gleason glenn glover godfrey
godwin goff goforth goins goldberg goldman golden gooch goode goodrich goodson gore gorman goss gough gould grady
graff graham granger grant graves gray grayson greenberg greenwood greer gregg gresham grier griffiths griggs grimm
grissom groves grubb guest guidry guillory gunn gunter guthrie guy haas hackett hadley hagan hagen haggard hahn haines
hairston hale hall halsey halstead ham hamby hamel hamlin hamm hammer hammett hampton hamrick hand handley hanes
haney hankins hanley hanna hannon hansen harbin hardaway hardee hardwick hardy hargrove harkins harlan harley harlow
harmon harp harper harrell harrington harris hart hartley hartsell harvey hatch hatcher hatfield hathaway hatley
haught hauser hawk hawkins hawley hay hayes haynes hays hayward haywood head heard hearn heaton hedrick heflin hein
helm helms helton hembree hemphill henderson hendrick hendrickson henley hennessy henning henry hensley herbert
herndon herr hershberger hess hester hewitt hiatt hickey hicks hidalgo higdon higginbotham hightower hildebrand hill
hilliard hilton hindman hines hinkle hinson hirsch hitchcock hite hoang hobson hodge hodgson hoff hogue holbrook
holcomb holden holder holley holliday hollingsworth hollins hollis holman holmes holt honeycutt hooker hooper hoover
hopper horn horner hornsby horst horton hough houck houser houston howard howe howell hoyt hubbard huddleston
hudgins hudson huey huff huffman hughey hull hulsey humphreys hundley hunsaker hunt hurd hurt hutchins hutchison
hutson hyatt hyde ingle inman irby ireland irvin irwin isaacs isom ivey ivory jacks jackman jaeger jameson jamison
janssen jarrett jeffers jeffries jenkins jennings jernigan jester jett jewell jobe johns jolley jolly joyce joyner
judd judge justice kaiser kaplan karr kasper kaufman kay keane kearney keating keel keen keene keener kehoe keith
kelleher keller kellogg kelso kemp kendall kendrick kenney kent kenyon kern kerns kessler key keyes kidd kiefer kilgore
killian kimball kimble kincaid kinder king kingsley kinney kinsey kirkland kirkpatrick kish kitchen kite klein kline
knight knoll knott knowles knowlton koenig kohler kovacs kraft krause kruger kuhn kunkel kurtz lacey lacy ladd lafferty
laird lake lamar lambert lamm landis lane laney langdon langford langley lanier lantz lara larue lassiter latham
lathrop lau laughlin lavender law lay layne layton leary leavitt ledbetter ledford lee leeper legg legrand lehman
leigh lemaster lemon lemons lennon lent leon lerner lester levin levine lewandowski lim lindley lindquist lindsay
lineberry link linton lipscomb little lively livingston locke lockhart lockwood loftis lofton logan lomax london long
looney loper lord lott lovelace lovell lovett loving lowry loy lucas luce luker lumpkin lundy lusk luther lyle lyman
lyon lyons mabry macias mack mackey maclean madden maddox magee maguire mahan mahoney major maloney malone mancuso
maness mangum manley manning mansfield manuel marcum marino markham marks marlow marr marrero marsh marshall marston
martel martell martinez marx mason massey masters mathis matlock matos matson mattingly mattox mauldin maupin maxey
maxwell mayberry mayfield mayhew maynard mays mccabe mccain mccall mccallum mccants mccarter mccartney mcclellan
mccloud mccollum mccord mccoy mccracken mccray mccrory mcculloch mcdermott mcdonough mcdougal mcelroy mcewen
mcfadden mcgill mcgowan mcgrath mcgraw mcgregor mchenry mchugh mcintire mckeown mckinnon mcknight mclain mclemore
mcleod mcmanus mcmillen mcmullen mcnair mcnamara mcneal mcneil mcnulty mcqueen mcrae mcvey meade meador meadows means
medley meek meeks meier melvin mendenhall mercer merrill messer metcalf metz meyer michaels middleton milam miles
millard miller milligan millikan mims miner minor minton mitchell mixon moeller moffett mohr monahan monk monroe
montague montgomery moody mooney moorman morehead moreland morey morrell morrissey mortensen morton moseley moser
moss mott moulton mowery moyer mudd mueller mull mullin mullis mund munn murdock murphy murray muse musgrove musser
myrick nagel nance napier nash neal needham neely neff negron nelms nesbitt nettles neville newberry newby newcomb
newell newkirk newsome nichols nix noble noel nolan noland noonan norman norwood nowak nunley nutt oakes oakley
oates obrien odell odum ogden ogle oglesby oldham olds oleary oliver olivo olmstead oneal orr osborn osburn oswald
otis ott otto overton owen owens pabon pace packard padgett paige painter palmer palmore pannell pardo paris parish
parker parks parrott parson partridge paschal pate patrick patten patterson patton paulson paxton payton peace pearce
peay peck peden peel peeples pegues pelletier pemberton pence pendleton penn penner pepper perdue perez perrin perry
person peterman petersen petit petty pfeiffer phelan pickens pickett pierson pike pinkerton pinson piper pippin
pitman pitt platt player plummer poe poindexter poland polk pollock pool poore pope porterfield posey post potter
pounds powell powers prater pratt presley pressley preston prewitt price prichard pridgen priest prince pritchett
proffitt prosser provost pruett puckett pugh pullen purcell purdy purvis putnam pyle quarles queen quick quigley
quinlan quinn rader rafferty ragan ragland rainey raley ralston rambo ramey ramsay randle rankin ransom rapp ratcliff
rawlings ray rayburn read reagan reardon reaves redd redding redman reece reed reeder reedy regan reid reilly reiter
remington renfro renner rey reynolds rhoades rhoads rhodes rice rich richey richter rickard ricketts riddle rider
ridley rigby riggs rinehart ring riordan ripley risley ritchie ritter rivard roach roark robb robbins roberson
robinette robison roby roche rockwell roe rogan roland roller rollins romano rooney roper rosa rosen rosenberg ross
roth rountree rouse rowan rowell rowley royal royer ruby rucker rudd rudolph ruff rumsey rush russ russell rust rutledge
ryder sadler sager salter sampson samuel samuels sanborn sanderson sandlin sands santana sargent sasser satterfield
sauer saunders savage sawyer saylor scales scanlon schaffer schiller schmid schmitz schofield scholl schreiber schubert
schuler schulz schumacher schwab scoggins scruggs seal seals sealy searcy sears seay seeley segal self sell sellers
sewell sexton seymour shafer shank shanks sharkey sharp sharpe shaver shea shearer sheehan sheffield shell shelley
shepard sheridan sherrill sherwood shipley shipman shirley shoemaker shook shore short shuler shumate sibley sides
siegel sikes silver silvers simmonds simms sinclair singer singletary sisk sizemore skaggs skelton slade slater
slaughter sloan slocum small smalley smart smiley smith smithson snead snider snipes snodgrass snow somers sommer
sorensen sorrell southard southerland sowell spain spangler spann sparkman spaulding spear spearman speer spellman
spicer spivey spradlin sprague spring sprinkle sprouse spruill squires stacy stafford staley stallings stamper
stanfield stanford stapleton stark starks starling starr staton stauffer stearns steed steen stepp sterling stern
stevens steward stiles still stinson stockton stoddard stoll stoltzfus stone stoner storey story stovall stowe
strain strand strange stratton street stricklin stringer strother stroud strunk stubbs stump sturgeon sturgill
styles suggs sullivan sumner sumrall sutherland swafford swain swan swank sweat sweeney swift swisher switzer sykes
talbert talbot talley tan tanner tapp tarver tate tatum taylor teague temple templeton terrell terry thacker tharp
thayer thibodeaux thigpen thomason thompkins thornburg thorne thornton thorpe thrasher threatt thurman thurston tibbs
tidwell tilley tillman timmons tindall tinsley tipton tobin todd toler tolliver tomlin tompkins toney toole tower
towns townsend tracy trammell travers traylor tremblay trent trimble tripp trotter trout troutman truitt tubbs
tuck tucker tully turley turnbull turnage turney tuttle tyler tyree tyson ulrich upchurch upton utley valle vance
vanhorn vann varner vaughan vaughn veal venable vick vickers villa vinson voss waddell wade wadsworth waggoner wagoner
waite wakefield walden waldron walker walling walsh walter walton ward warden ware warfield warner warren washburn
waterman watkins watson watt watts waugh way weathers weatherford weaver webber weber weeks weir welborn welch weldon
weller wells welsh wendt wentworth werner wertz wesley west westbrook wetzel whalen whaley wheat wheatley wheeler
whelan whitaker whitcomb whitfield whitley whitlock whitman whitmore whitson whitt whittaker whitten whittington
wick wicker wicks wiggins wilbur wilcox wilder wiles wiley wilhelm wilhite wilkes wilkins willard willey williamson
willingham willis willoughby wills wilmoth wilt wimberly winchester windham winfield wing wingate winkler winn winslow
winston winter winters wirth wise wiseman witt witte wofford wolfe womack wong woodall woodard woodruff woods woodson
woody wooten workman worley worth worthington wray wren wright wyant wylie wyman wynn yancey yarbrough yates yeager
yoder york yost youngblood zeller ziegler zimmer zimmerman zook
`;
